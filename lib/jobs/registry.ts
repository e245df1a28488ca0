// Every kind of background job and its handler.
import { GITHUB_EVENT_JOB, githubEventJob } from '@/lib/github/events';
import type { JobHandler } from './worker';

export const JOB_HANDLERS: Record<string, JobHandler> = {
  [GITHUB_EVENT_JOB]: githubEventJob,
};
