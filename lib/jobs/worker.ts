// Runs queued jobs: claim one, run its handler, mark it done or schedule its retry. The loop
// started at server boot wakes on NOTIFY (and polls, in case a notification is missed).
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Db } from '@/db/client';
import { isAppError } from '@/lib/errors';
import { isRiskInputError } from '@/lib/risk/errors';
import { claimJobs, completeJob, failJob, JOBS_CHANNEL, type ClaimedJob } from './queue';

export interface JobContext {
  db: Db;
  job: ClaimedJob;
}

export interface JobHandler {
  /** Does the work; returns one line saying what it did (kept with the webhook delivery, logged). */
  run(ctx: JobContext): Promise<string>;
  /** Told about each failed attempt, e.g. to show the error where people look. */
  onFailure?(ctx: JobContext, message: string, outcome: 'retry' | 'failed'): Promise<void>;
}

/** A failure worth retrying later (the other side is down, the data is not there yet). */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly retryInMs?: number,
  ) {
    super(message);
    this.name = 'RetryLater';
  }
}

/** Bad input never gets better by retrying. */
function isPermanent(err: unknown): boolean {
  return !(err instanceof RetryLater) && (isAppError(err) || isRiskInputError(err));
}

export interface RunResult {
  claimed: number;
  done: number;
  retrying: number;
  failed: number;
}

export function newWorkerId(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** Claims and runs up to `max` ready jobs, one at a time. */
export async function runJobsOnce(
  db: Db,
  handlers: Record<string, JobHandler>,
  opts: { workerId?: string; max?: number; now?: Date } = {},
): Promise<RunResult> {
  const workerId = opts.workerId ?? newWorkerId();
  const result: RunResult = { claimed: 0, done: 0, retrying: 0, failed: 0 };
  for (let i = 0; i < (opts.max ?? 20); i++) {
    const [job] = await claimJobs(db, workerId, 1, opts.now);
    if (!job) break;
    result.claimed++;
    const handler = handlers[job.kind];
    const ctx = { db, job };
    try {
      if (!handler) throw new Error(`No handler for job kind ${job.kind}.`);
      await handler.run(ctx);
      await completeJob(db, job, workerId);
      result.done++;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const outcome = await failJob(db, job, workerId, message, {
        permanent: !handler || isPermanent(err),
        retryInMs: err instanceof RetryLater ? err.retryInMs : undefined,
        now: opts.now,
      });
      if (outcome === 'failed') result.failed++;
      else result.retrying++;
      if (!(err instanceof RetryLater) && !isPermanent(err)) console.error(`[countersign] job ${job.id} (${job.kind}) attempt ${job.attempt} failed:`, err);
      await handler?.onFailure?.(ctx, message, outcome).catch((e: unknown) => console.error('[countersign] job failure hook failed:', e));
    }
  }
  return result;
}

const POLL_MS = 2_000;

/** The background loop of one app instance; returns a stop function. */
export async function startWorkerLoop(
  getDb: () => Promise<Db>,
  listen: (channel: string, onMessage: () => void) => Promise<() => Promise<void>>,
  handlers: Record<string, JobHandler>,
): Promise<() => Promise<void>> {
  const workerId = newWorkerId();
  let stopped = false;
  let wake: (() => void) | null = null;
  let pending = false;
  const unlisten = await listen(JOBS_CHANNEL, () => {
    pending = true;
    wake?.();
  }).catch((err: unknown) => {
    console.error('[countersign] job worker cannot LISTEN; polling only:', (err as Error).message);
    return async () => {};
  });
  const loop = async () => {
    while (!stopped) {
      pending = false;
      try {
        const r = await runJobsOnce(await getDb(), handlers, { workerId });
        if (r.claimed > 0) continue;
      } catch (err) {
        console.error('[countersign] job worker:', (err as Error).message);
      }
      if (pending) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, POLL_MS);
        t.unref?.();
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake = null;
    }
  };
  void loop();
  return async () => {
    stopped = true;
    wake?.();
    await unlisten();
  };
}
