// The audit page's chain badge at a million events: a full verification (verifyAuditChain)
// re-hashes every event and takes seconds, so it runs at boot, on demand and daily; each page
// view then re-hashes only the events appended since, after a tamper check of the verified
// prefix. That check is a single scan inside PostgreSQL — count(*) and sum(xmin) over the
// verified ids — with no row leaving the database: any UPDATE gives the row a new xmin, any
// DELETE or INSERT changes the count, so an edit to an old event shows up at the next view
// and forces a full verification. The checkpoint lives in this process's memory, never in
// the database a tamperer could edit. See docs/leadership.md.
import { sql } from 'drizzle-orm';
import { queryRows, type Queryable } from '@/db/client';
import { hashEvent, verifyAuditChain } from './chain';

export interface ChainStatus {
  ok: boolean;
  /** Events verified (the whole chain when ok; those before the break when not). */
  events: number;
  firstBrokenId: number | null;
  reason: string | null;
  /** When this answer was established (now, for a page view). */
  checkedAt: string;
  /** When the whole chain was last re-hashed from the first event. */
  fullyVerifiedAt: string;
  /** How this answer was reached. */
  mode: 'full' | 'incremental';
}

interface Checkpoint {
  /** Verified prefix: events with id <= lastId. */
  lastId: number;
  lastHash: string;
  events: number;
  /** Tamper fingerprint of the prefix. */
  count: string;
  xminSum: string;
  ok: boolean;
  firstBrokenId: number | null;
  reason: string | null;
  fullAt: Date;
}

interface VerifierState {
  checkpoint: Checkpoint | null;
  running: Promise<ChainStatus> | null;
  /** Callers waiting for the running check: a background check then stops yielding. */
  waiting: number;
}

const states = new WeakMap<object, VerifierState>();
const globalForChain = globalThis as unknown as { __countersignChainStates?: WeakMap<object, VerifierState> };

function stateFor(q: Queryable): VerifierState {
  const map = (globalForChain.__countersignChainStates ??= states);
  let s = map.get(q);
  if (!s) {
    s = { checkpoint: null, running: null, waiting: 0 };
    map.set(q, s);
  }
  return s;
}

async function fingerprint(q: Queryable, upToId: number): Promise<{ count: string; xminSum: string }> {
  const [row] = await queryRows<{ n: string; x: string }>(
    q,
    sql`select count(*)::text as n, coalesce(sum(xmin::text::bigint), 0)::text as x from audit_events where id <= ${upToId}`,
  );
  return { count: String(row?.n ?? '0'), xminSum: String(row?.x ?? '0') };
}

async function maxId(q: Queryable): Promise<number> {
  const [row] = await queryRows<{ m: string }>(q, sql`select coalesce(max(id), 0)::text as m from audit_events`);
  return Number(row?.m ?? 0);
}

function toStatus(c: Checkpoint, mode: ChainStatus['mode'], now = new Date()): ChainStatus {
  return { ok: c.ok, events: c.events, firstBrokenId: c.firstBrokenId, reason: c.reason, checkedAt: now.toISOString(), fullyVerifiedAt: c.fullAt.toISOString(), mode };
}

/** Re-hashes the whole chain, bracketed by fingerprints so a concurrent edit cannot slip in unseen. */
async function verifyFully(q: Queryable, pace?: () => Promise<void>): Promise<Checkpoint> {
  for (let attempt = 0; ; attempt++) {
    const upTo = await maxId(q);
    const before = await fingerprint(q, upTo);
    const result = pace ? await verifyAuditChain(q, 1000, pace) : await verifyAuditChain(q);
    const after = await fingerprint(q, upTo);
    if ((before.count !== after.count || before.xminSum !== after.xminSum) && attempt < 3) continue;
    if (!result.ok) {
      return { lastId: upTo, lastHash: result.lastHash, events: result.events, ...after, ok: false, firstBrokenId: result.firstBrokenId, reason: result.reason, fullAt: new Date() };
    }
    // The verified chain may run past upTo (events appended meanwhile): the checkpoint is the prefix up to upTo.
    const [row] = await queryRows<{ hash: string; n: string }>(
      q,
      sql`select (select hash from audit_events where id = ${upTo}) as hash, (select count(*)::text from audit_events where id <= ${upTo}) as n`,
    );
    return { lastId: upTo, lastHash: row?.hash ?? result.lastHash, events: Number(row?.n ?? 0), ...after, ok: true, firstBrokenId: null, reason: null, fullAt: new Date() };
  }
}

/** Verifies events appended after the checkpoint; null when one of them breaks the chain. */
async function verifyTail(q: Queryable, c: Checkpoint, batchSize = 5000): Promise<Checkpoint | null> {
  let prev = c.lastHash;
  let lastId = c.lastId;
  let count = BigInt(c.count);
  let xsum = BigInt(c.xminSum);
  let events = c.events;
  for (;;) {
    const rows = await queryRows<Record<string, unknown>>(
      q,
      sql`select id, occurred_at, actor_id, actor, action, subject_type, subject_id, change_id, payload, prev_hash, hash, xmin::text as xmin
          from audit_events where id > ${lastId} order by id limit ${batchSize}`,
    );
    for (const r of rows) {
      const occurredAt = r.occurred_at instanceof Date ? r.occurred_at : new Date(String(r.occurred_at));
      const payload = (typeof r.payload === 'string' ? JSON.parse(r.payload) : (r.payload ?? {})) as Record<string, unknown>;
      const expected = hashEvent(prev, {
        occurredAt,
        actorId: r.actor_id === null ? null : Number(r.actor_id),
        actor: String(r.actor),
        action: String(r.action),
        subjectType: String(r.subject_type),
        subjectId: String(r.subject_id),
        changeId: r.change_id === null ? null : Number(r.change_id),
        payload,
      });
      if (r.prev_hash !== prev || expected !== r.hash) return null;
      prev = String(r.hash);
      lastId = Number(r.id);
      count += 1n;
      xsum += BigInt(String(r.xmin));
      events += 1;
    }
    if (rows.length < batchSize) break;
  }
  return { ...c, lastId, lastHash: prev, events, count: count.toString(), xminSum: xsum.toString() };
}

async function check(q: Queryable, s: VerifierState, full: boolean, pace?: () => Promise<void>): Promise<ChainStatus> {
  const c = s.checkpoint;
  if (!c || full) {
    s.checkpoint = await verifyFully(q, pace);
    return toStatus(s.checkpoint, 'full');
  }
  const fp = await fingerprint(q, c.lastId);
  if (fp.count !== c.count || fp.xminSum !== c.xminSum) {
    // Something in the verified prefix changed: the only trustworthy answer is a full one.
    s.checkpoint = await verifyFully(q);
    return toStatus(s.checkpoint, 'full');
  }
  if (!c.ok) return toStatus(c, 'incremental');
  const next = await verifyTail(q, c);
  if (!next) {
    s.checkpoint = await verifyFully(q);
    return toStatus(s.checkpoint, 'full');
  }
  s.checkpoint = next;
  return toStatus(next, 'incremental');
}

/**
 * The chain's status now. Concurrent callers share one check; `full` forces a re-hash of
 * every event (the "Verify again" button, the daily run).
 */
export async function getChainStatus(q: Queryable, opts: { full?: boolean; background?: boolean } = {}): Promise<ChainStatus> {
  const s = stateFor(q);
  while (s.running) {
    s.waiting++;
    const status = await s.running.catch(() => null).finally(() => s.waiting--);
    if (!opts.full && status) return status;
    if (!s.running) break;
  }
  const run = check(q, s, opts.full ?? false, opts.background ? backgroundPace(s) : undefined);
  s.running = run;
  try {
    return await run;
  } finally {
    if (s.running === run) s.running = null;
  }
}

const FULL_EVERY_MS = 24 * 3_600_000;

/**
 * Between batches of a background verification: rest three times as long as the batch took, so
 * re-hashing a million events at boot takes at most a quarter of a core from the requests being
 * served (unpaced, it held the event loop in 5,000-event slices for minutes after every start on
 * the benchmark's million-event trail; see docs/performance.md) — unless someone is waiting for
 * the answer, then it only yields.
 */
function backgroundPace(s: VerifierState): () => Promise<void> {
  let since = performance.now();
  return async () => {
    const worked = performance.now() - since;
    await new Promise((resolve) => (s.waiting > 0 ? setImmediate(resolve) : setTimeout(resolve, Math.min(1000, worked * 3))));
    since = performance.now();
  };
}

/** At boot: verify fully in the background, then daily. Never delays the server's start. */
export async function startChainVerifier(): Promise<void> {
  const { getDb } = await import('@/db');
  const run = async () => {
    try {
      const status = await getChainStatus(await getDb(), { full: true, background: true });
      if (!status.ok) console.error(`[countersign] audit chain broken at event ${status.firstBrokenId}: ${status.reason}`);
    } catch (err) {
      console.error(`[countersign] audit chain verification failed: ${(err as Error).message}`);
    }
  };
  void run();
  setInterval(run, FULL_EVERY_MS).unref();
}
