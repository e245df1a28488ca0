// The durable job queue on the `jobs` table: enqueued in the transaction that accepts the
// work (so a crash right after answering loses nothing), claimed with FOR UPDATE SKIP LOCKED
// (so any number of app instances share it), retried with exponential backoff.
import { and, eq, sql } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { queryRows } from '@/db/client';
import { jobs, type Job } from '@/db/schema';

/** NOTIFY channel that wakes the workers when a job is enqueued. */
export const JOBS_CHANNEL = 'countersign_jobs';

/** A claimed job not finished within this long is assumed lost with its worker and is claimed again. */
export const JOB_LEASE_MS = 5 * 60_000;

export interface NewJob {
  kind: string;
  payload: Record<string, unknown>;
  /** At most one queued or running job per key. */
  dedupeKey?: string | null;
  runAfter?: Date;
  maxAttempts?: number;
}

/** Enqueues in the caller's transaction; returns the job id, or null when an identical job is already waiting. */
export async function enqueueJob(q: Queryable, job: NewJob): Promise<number | null> {
  const [row] = await q
    .insert(jobs)
    .values({
      kind: job.kind,
      payload: job.payload,
      dedupeKey: job.dedupeKey ?? null,
      ...(job.runAfter ? { runAfter: job.runAfter } : {}),
      ...(job.maxAttempts ? { maxAttempts: job.maxAttempts } : {}),
    })
    .onConflictDoNothing()
    .returning({ id: jobs.id });
  // Delivered on commit, to every instance listening.
  await q.execute(sql`select pg_notify(${JOBS_CHANNEL}, ${job.kind})`);
  return row?.id ?? null;
}

interface JobRow {
  id: string | number;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
}

export interface ClaimedJob {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
}

/** Claims up to `limit` ready jobs for this worker; jobs whose lease expired are ready again. */
export async function claimJobs(q: Queryable, workerId: string, limit = 1, now = new Date()): Promise<ClaimedJob[]> {
  // ISO strings with casts: raw SQL parameters must look the same to both drivers.
  const at = now.toISOString();
  const leaseExpired = new Date(now.getTime() - JOB_LEASE_MS).toISOString();
  const rows = await queryRows<JobRow>(
    q,
    sql`update jobs set status = 'running', locked_at = ${at}::timestamptz, locked_by = ${workerId}, attempts = attempts + 1, updated_at = ${at}::timestamptz
        where id in (
          select id from jobs
          where (status = 'queued' and run_after <= ${at}::timestamptz) or (status = 'running' and locked_at < ${leaseExpired}::timestamptz)
          order by run_after, id
          limit ${limit}
          for update skip locked)
        returning id, kind, payload, attempts, max_attempts`,
  );
  return rows.map((r) => ({ id: Number(r.id), kind: r.kind, payload: r.payload, attempt: Number(r.attempts), maxAttempts: Number(r.max_attempts) }));
}

/** Done; an error from an earlier attempt stays in last_error for whoever wonders why it took a while. */
export async function completeJob(q: Queryable, job: ClaimedJob, workerId: string): Promise<void> {
  await q
    .update(jobs)
    .set({ status: 'done', lockedAt: null, lockedBy: null, updatedAt: new Date() })
    .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, workerId)));
}

/** Seconds before attempt n+1: 15 s, 30 s, 1 min, … capped at an hour. */
export function backoffMs(attempt: number): number {
  return Math.min(15_000 * 2 ** Math.max(0, attempt - 1), 3_600_000);
}

/** Records the failure; schedules a retry unless the job is out of attempts or the error is permanent. */
export async function failJob(
  q: Queryable,
  job: ClaimedJob,
  workerId: string,
  error: string,
  opts: { permanent?: boolean; retryInMs?: number; now?: Date } = {},
): Promise<'retry' | 'failed'> {
  const now = opts.now ?? new Date();
  const final = opts.permanent || job.attempt >= job.maxAttempts;
  await q
    .update(jobs)
    .set({
      status: final ? 'failed' : 'queued',
      lastError: error.slice(0, 4000),
      lockedAt: null,
      lockedBy: null,
      runAfter: final ? undefined : new Date(now.getTime() + (opts.retryInMs ?? backoffMs(job.attempt))),
      updatedAt: now,
    })
    .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, workerId)));
  return final ? 'failed' : 'retry';
}

/** Makes a waiting job run now (an operator's "retry now"). */
export async function runJobNow(q: Queryable, id: number): Promise<boolean> {
  const rows = await q
    .update(jobs)
    .set({ runAfter: new Date(), status: 'queued', updatedAt: new Date() })
    .where(and(eq(jobs.id, id), sql`${jobs.status} in ('queued', 'failed')`))
    .returning({ id: jobs.id });
  if (rows.length) await q.execute(sql`select pg_notify(${JOBS_CHANNEL}, 'retry')`);
  return rows.length > 0;
}

export type { Job };
