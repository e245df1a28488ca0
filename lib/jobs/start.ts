// Starts this instance's job worker at server boot (see lib/server/boot.ts).
import { getDb, getDbHandle } from '@/db';
import { JOB_HANDLERS } from './registry';
import { runJobsOnce, startWorkerLoop, type RunResult } from './worker';

const globalForJobs = globalThis as unknown as { __countersignJobs?: Promise<() => Promise<void>> };

export async function startJobWorker(): Promise<void> {
  if (globalForJobs.__countersignJobs) return;
  const handle = await getDbHandle();
  globalForJobs.__countersignJobs = startWorkerLoop(getDb, (channel, onMessage) => handle.listen(channel, () => onMessage()), JOB_HANDLERS);
  await globalForJobs.__countersignJobs;
  console.log('[countersign] job worker started');
}

/** Runs whatever is ready now, with every handler (tests, and the CLI's one-shot runs). */
export function runReadyJobs(db: Parameters<typeof runJobsOnce>[0], opts: Parameters<typeof runJobsOnce>[2] = {}): Promise<RunResult> {
  return runJobsOnce(db, JOB_HANDLERS, opts);
}
