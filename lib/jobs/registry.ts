// Every kind of background job and its handler.
import { GITHUB_EVENT_JOB, GITHUB_SYNC_JOB, githubEventJob, githubSyncJob } from '@/lib/github/events';
import type { JobHandler } from './worker';

export const JOB_HANDLERS: Record<string, JobHandler> = {
  [GITHUB_EVENT_JOB]: githubEventJob,
  [GITHUB_SYNC_JOB]: githubSyncJob,
};
