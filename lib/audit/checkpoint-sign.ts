// Signed checkpoints of the audit chain's head (pure: no IO). A checkpoint records the last
// event's id and hash, how many events there were and when, signed with HMAC-SHA256 under a key
// that never enters the database (AUDIT_SIGNING_KEY; older keys in AUDIT_PREVIOUS_KEYS still
// verify). Comparing the database with checkpoints kept outside it reveals a cut or rewritten tail
// even when whoever did it could disable the triggers. See docs/security.md "Audit trail".
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from './chain';

export interface CheckpointBody {
  v: 1;
  eventId: number;
  hash: string;
  count: number;
  at: string;
}

export interface Checkpoint extends CheckpointBody {
  /** Which key signed it: the first 12 hex of SHA-256(key), never the key. */
  keyId: string;
  sig: string;
}

export function keyId(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

function mac(key: string, body: CheckpointBody): string {
  return createHmac('sha256', key).update(canonicalJson({ v: body.v, eventId: body.eventId, hash: body.hash, count: body.count, at: body.at })).digest('hex');
}

export function signCheckpoint(key: string, body: Omit<CheckpointBody, 'v'>): Checkpoint {
  const b: CheckpointBody = { v: 1, eventId: body.eventId, hash: body.hash, count: body.count, at: body.at };
  return { ...b, keyId: keyId(key), sig: mac(key, b) };
}

/** 'ok', or why the signature cannot be trusted. Tries the key the checkpoint names, among those given. */
export function checkSignature(c: Checkpoint, keys: string[]): 'ok' | 'unknown key' | 'bad signature' {
  const key = keys.find((k) => keyId(k) === c.keyId);
  if (!key) return 'unknown key';
  const expected = Buffer.from(mac(key, c), 'hex');
  const given = Buffer.from(typeof c.sig === 'string' ? c.sig : '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'ok' : 'bad signature';
}

export interface DbHeadAt {
  /** The highest event id in the database now. */
  maxId: number;
  /** The stored hash of the checkpoint's event, null when that event is gone. */
  hashAtEvent: string | null;
  /** Events with id <= the checkpoint's event id. */
  countUpTo: number;
}

export interface AnchorProblem {
  file: string;
  line: number;
  eventId: number | null;
  reason: string;
  /** Event ids known to be missing (inclusive), when the problem is a cut. */
  missing?: { from: number; to: number };
}

/** Compares one checkpoint (with a good signature) with what the database holds now. */
export function compareCheckpoint(c: Checkpoint, db: DbHeadAt): Omit<AnchorProblem, 'file' | 'line'> | null {
  if (db.maxId < c.eventId) {
    return {
      eventId: db.maxId + 1,
      reason: `events ${db.maxId + 1}–${c.eventId} recorded in the checkpoint of ${c.at} are missing from the database: the trail was cut`,
      missing: { from: db.maxId + 1, to: c.eventId },
    };
  }
  if (db.hashAtEvent === null) return { eventId: c.eventId, reason: `event ${c.eventId} recorded in the checkpoint of ${c.at} is missing from the database` };
  if (db.hashAtEvent !== c.hash) return { eventId: c.eventId, reason: `event ${c.eventId} does not have the hash its checkpoint of ${c.at} recorded: the chain was rewritten` };
  if (db.countUpTo !== c.count) {
    return { eventId: c.eventId, reason: `the checkpoint of ${c.at} counted ${c.count} events up to ${c.eventId}, the database holds ${db.countUpTo}: events were removed` };
  }
  return null;
}

/** Parses one line of a checkpoint file; null when it is not a checkpoint. */
export function parseCheckpointLine(line: string): Checkpoint | null {
  try {
    const c = JSON.parse(line) as Checkpoint;
    if (c && c.v === 1 && Number.isInteger(c.eventId) && typeof c.hash === 'string' && Number.isInteger(c.count) && typeof c.at === 'string' && typeof c.keyId === 'string' && typeof c.sig === 'string') return c;
  } catch {
    /* not JSON */
  }
  return null;
}
