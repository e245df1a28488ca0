// Every kind of background job and its handler.
import { GITHUB_EVENT_JOB, GITHUB_SYNC_JOB, githubEventJob, githubSyncJob } from '@/lib/github/events';
import { GITHUB_CHECK_ALL_JOB, GITHUB_CHECK_JOB, GITHUB_PROTECTION_TIMEOUT_JOB, githubCheckAllJob, githubCheckJob, githubProtectionTimeoutJob } from '@/lib/github/enforce';
import type { JobHandler } from './worker';

export const JOB_HANDLERS: Record<string, JobHandler> = {
  [GITHUB_EVENT_JOB]: githubEventJob,
  [GITHUB_SYNC_JOB]: githubSyncJob,
  [GITHUB_CHECK_JOB]: githubCheckJob,
  [GITHUB_CHECK_ALL_JOB]: githubCheckAllJob,
  [GITHUB_PROTECTION_TIMEOUT_JOB]: githubProtectionTimeoutJob,
};
