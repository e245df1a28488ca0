// Audit checkpoints on disk: appended (never rewritten) to JSON-lines files in
// AUDIT_CHECKPOINT_DIR, written by the server every AUDIT_CHECKPOINT_INTERVAL seconds when the
// chain grew and on demand (`countersign audit checkpoint`); read back by /api/v1/audit/verify,
// /api/v1/audit/checkpoints and `countersign audit verify --checkpoints DIR`. Signing and the
// comparison rules live in checkpoint-sign.ts.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { queryRows, type Queryable } from '@/db/client';
import { getEnv } from '@/lib/env';
import { checkSignature, compareCheckpoint, parseCheckpointLine, signCheckpoint, type AnchorProblem, type Checkpoint } from './checkpoint-sign';

export interface CheckpointConfig {
  dir: string | null;
  /** The current signing key first, then the previous ones. */
  keys: string[];
}

export function checkpointConfig(): CheckpointConfig {
  const env = getEnv();
  const previous = (env.AUDIT_PREVIOUS_KEYS ?? '').split(',').map((k) => k.trim()).filter(Boolean);
  return {
    dir: env.AUDIT_CHECKPOINT_DIR ? path.resolve(/*turbopackIgnore: true*/ env.AUDIT_CHECKPOINT_DIR) : null,
    keys: [...(env.AUDIT_SIGNING_KEY ? [env.AUDIT_SIGNING_KEY] : []), ...previous],
  };
}

export class CheckpointConfigError extends Error {}

async function chainHead(q: Queryable): Promise<{ eventId: number; hash: string; count: number } | null> {
  const [row] = await queryRows<{ id: string; hash: string; n: string }>(
    q,
    sql`select id::text as id, hash, (select count(*) from audit_events)::text as n from audit_events order by audit_events.id desc limit 1`,
  );
  return row ? { eventId: Number(row.id), hash: String(row.hash), count: Number(row.n) } : null;
}

/** Appends a signed checkpoint of the chain's head; null when there is nothing new to anchor. */
export async function writeCheckpoint(q: Queryable, cfg: CheckpointConfig = checkpointConfig(), opts: { force?: boolean } = {}): Promise<Checkpoint | null> {
  if (!cfg.dir) throw new CheckpointConfigError('AUDIT_CHECKPOINT_DIR is not set: there is nowhere outside the database to write checkpoints.');
  if (!cfg.keys[0]) throw new CheckpointConfigError('AUDIT_SIGNING_KEY is not set: checkpoints cannot be signed.');
  const head = await chainHead(q);
  if (!head) return null;
  const last = readCheckpoints(cfg.dir).checkpoints.at(-1);
  if (!opts.force && last && last.eventId === head.eventId && last.hash === head.hash) return null;
  const c = signCheckpoint(cfg.keys[0], { ...head, at: new Date().toISOString() });
  fs.mkdirSync(cfg.dir, { recursive: true, mode: 0o750 });
  const file = path.join(cfg.dir, `checkpoints-${c.at.slice(0, 7)}.jsonl`);
  // Append only: earlier lines are never rewritten (put the directory on WORM storage in production).
  fs.appendFileSync(file, `${JSON.stringify(c)}\n`, { mode: 0o640, flag: 'a' });
  return c;
}

export interface ReadCheckpoints {
  checkpoints: (Checkpoint & { file: string; line: number })[];
  /** Lines that are not checkpoints. */
  unreadable: AnchorProblem[];
}

export function readCheckpoints(dir: string): ReadCheckpoints {
  const out: ReadCheckpoints = { checkpoints: [], unreadable: [] };
  if (!fs.existsSync(dir)) return out;
  const files = fs.readdirSync(dir).filter((f) => /^checkpoints-.*\.jsonl$/.test(f)).sort();
  for (const f of files) {
    const lines = fs.readFileSync(path.join(dir, f), 'utf8').split('\n');
    lines.forEach((text, i) => {
      if (!text.trim()) return;
      const c = parseCheckpointLine(text);
      if (c) out.checkpoints.push({ ...c, file: f, line: i + 1 });
      else out.unreadable.push({ file: f, line: i + 1, eventId: null, reason: 'not a checkpoint (unreadable line)' });
    });
  }
  // In chain order: by event id, then by time.
  out.checkpoints.sort((a, b) => a.eventId - b.eventId || (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return out;
}

export interface AnchorVerification {
  configured: boolean;
  /** Checkpoints read. */
  checkpoints: number;
  /** The latest checkpoint with a good signature, which the database was compared with. */
  last: Checkpoint | null;
  /** True when the database still holds the chain the last checkpoint signed. */
  verified: boolean;
  problems: AnchorProblem[];
}

/** Checks every checkpoint's signature and the database against the latest good one. */
export async function verifyAgainstCheckpoints(q: Queryable, cfg: CheckpointConfig = checkpointConfig()): Promise<AnchorVerification> {
  if (!cfg.dir) return { configured: false, checkpoints: 0, last: null, verified: false, problems: [] };
  const { checkpoints, unreadable } = readCheckpoints(cfg.dir);
  const problems: AnchorProblem[] = [...unreadable];
  let last: (Checkpoint & { file: string; line: number }) | null = null;
  for (const c of checkpoints) {
    const sig = checkSignature(c, cfg.keys);
    if (sig === 'ok') last = c;
    else problems.push({ file: c.file, line: c.line, eventId: c.eventId, reason: sig === 'bad signature' ? `checkpoint of event ${c.eventId} has a bad signature: it was forged or altered` : `checkpoint of event ${c.eventId} is signed with a key this installation does not know (${c.keyId})` });
  }
  let verified = false;
  if (last) {
    const [row] = await queryRows<{ m: string; h: string | null; n: string }>(
      q,
      sql`select coalesce((select max(id) from audit_events), 0)::text as m,
                 (select hash from audit_events where id = ${last.eventId}) as h,
                 (select count(*) from audit_events where id <= ${last.eventId})::text as n`,
    );
    const problem = compareCheckpoint(last, { maxId: Number(row?.m ?? 0), hashAtEvent: row?.h ?? null, countUpTo: Number(row?.n ?? 0) });
    if (problem) problems.push({ file: last.file, line: last.line, ...problem });
    else verified = true;
  }
  const strip = (c: typeof last): Checkpoint | null => (c ? { v: c.v, eventId: c.eventId, hash: c.hash, count: c.count, at: c.at, keyId: c.keyId, sig: c.sig } : null);
  return { configured: true, checkpoints: checkpoints.length, last: strip(last), verified, problems };
}

/** The server's checkpoint writer: every AUDIT_CHECKPOINT_INTERVAL seconds, when the chain grew. */
export async function startCheckpointWriter(): Promise<void> {
  const cfg = checkpointConfig();
  if (!cfg.dir || !cfg.keys[0]) {
    if (cfg.dir || cfg.keys[0]) console.warn('[countersign] audit checkpoints need both AUDIT_CHECKPOINT_DIR and AUDIT_SIGNING_KEY: none will be written');
    return;
  }
  const { getDb } = await import('@/db');
  const run = async () => {
    try {
      await writeCheckpoint(await getDb(), cfg);
    } catch (err) {
      console.error(`[countersign] audit checkpoint failed: ${(err as Error).message}`);
    }
  };
  void run();
  setInterval(run, getEnv().AUDIT_CHECKPOINT_INTERVAL * 1000).unref();
}
