// Signed checkpoints of the audit chain head: signatures, key rotation, and what a comparison
// with the database reports (pure rules, no IO).
import { describe, expect, it } from 'vitest';
import { checkSignature, compareCheckpoint, keyId, parseCheckpointLine, signCheckpoint } from '@/lib/audit/checkpoint-sign';

const K1 = 'key-one-0123456789abcdef0123456789abcdef';
const K2 = 'key-two-0123456789abcdef0123456789abcdef';
const head = { eventId: 10, hash: 'a'.repeat(64), count: 10, at: '2026-01-01T00:00:00.000Z' };

describe('audit checkpoint signatures', () => {
  it('verifies under the signing key or a previous one, and names the key without revealing it', () => {
    const c = signCheckpoint(K1, head);
    expect(c.keyId).toBe(keyId(K1));
    expect(JSON.stringify(c)).not.toContain(K1);
    expect(checkSignature(c, [K1])).toBe('ok');
    expect(checkSignature(c, [K2, K1])).toBe('ok');
    expect(checkSignature(c, [K2])).toBe('unknown key');
  });

  it('reports an edited checkpoint as a bad signature', () => {
    const c = signCheckpoint(K1, head);
    expect(checkSignature({ ...c, count: 7 }, [K1])).toBe('bad signature');
    expect(checkSignature({ ...c, hash: 'b'.repeat(64) }, [K1])).toBe('bad signature');
    expect(checkSignature({ ...c, sig: 'zz' }, [K1])).toBe('bad signature');
  });

  it('parses only well-formed lines', () => {
    const c = signCheckpoint(K1, head);
    expect(parseCheckpointLine(JSON.stringify(c))).toEqual(c);
    expect(parseCheckpointLine('{"v":1}')).toBeNull();
    expect(parseCheckpointLine('not json')).toBeNull();
  });
});

describe('comparing a checkpoint with the database', () => {
  const c = signCheckpoint(K1, head);
  it('accepts the same head, and a chain that grew after it', () => {
    expect(compareCheckpoint(c, { maxId: 10, hashAtEvent: head.hash, countUpTo: 10 })).toBeNull();
    expect(compareCheckpoint(c, { maxId: 25, hashAtEvent: head.hash, countUpTo: 10 })).toBeNull();
  });
  it('names the missing range of a cut tail', () => {
    expect(compareCheckpoint(c, { maxId: 7, hashAtEvent: null, countUpTo: 7 })).toMatchObject({ eventId: 8, missing: { from: 8, to: 10 } });
  });
  it('reports a rewritten chain and removed events', () => {
    expect(compareCheckpoint(c, { maxId: 12, hashAtEvent: 'b'.repeat(64), countUpTo: 10 })?.reason).toMatch(/rewritten/);
    expect(compareCheckpoint(c, { maxId: 12, hashAtEvent: head.hash, countUpTo: 9 })?.reason).toMatch(/removed/);
    expect(compareCheckpoint(c, { maxId: 12, hashAtEvent: null, countUpTo: 9 })?.reason).toMatch(/missing/);
  });
});
