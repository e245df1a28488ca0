import { describe, expect, it } from 'vitest';
import { encodeCursor } from '@/db/queries/queue';
import { QueueQuery, readQueueSearchParams, toQueueFilters } from '@/lib/queue/params';
import { queueSearchString } from '@/lib/queue/url';

describe('queue URL parameters', () => {
  it('parses every filter, with defaults, and turns reviewer=me into the viewer', () => {
    const q = QueueQuery.parse({ tier: '1', risk: 'critical', ai: 'agent', service: 'checkout', team: 'checkout', q: ' cart ', reviewer: 'me', limit: '20', cursor: encodeCursor(80, 12) });
    expect(q).toMatchObject({ status: 'pending', tier: 1, risk: 'critical', ai: 'agent', q: 'cart', limit: 20 });
    expect(toQueueFilters(q, 7)).toMatchObject({ reviewerId: 7, viewerId: 7, tier: 1 });
    expect(toQueueFilters(QueueQuery.parse({}), 7)).toMatchObject({ reviewerId: undefined, viewerId: 7, limit: 50 });
  });

  it('refuses bad values and cursors it did not give out', () => {
    for (const bad of [{ tier: '0' }, { risk: 'huge' }, { cursor: 'abc' }, { reviewer: 'someone' }, { limit: '201' }]) {
      expect(QueueQuery.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('reads a shared link leniently: a bad value is dropped, the others kept; the cursor never comes from a link', () => {
    const q = readQueueSearchParams({ tier: '9', risk: 'high', service: ['cart', 'checkout'], cursor: encodeCursor(1, 1) });
    expect(q).toMatchObject({ risk: 'high', service: 'cart' });
    expect(q.tier).toBeUndefined();
    expect(q.cursor).toBeUndefined();
  });

  it('writes short links: defaults and empty values left out, in a stable order', () => {
    expect(queueSearchString({ status: 'pending', limit: 50, tier: '', q: undefined })).toBe('');
    expect(queueSearchString({ q: 'a b', tier: 1, reviewer: 'me' })).toBe('?tier=1&q=a+b&reviewer=me');
  });
});
