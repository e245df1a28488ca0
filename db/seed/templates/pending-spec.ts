// How a hand-written pending change is described before pendingChanges(now) dates and numbers it.
import type { AiLevel, ChangeKind, TerraformPlanJson } from '../types';
import type { FileSpec } from './diff';

export interface PendingApprovalSpec {
  person: string;
  decision: 'approve' | 'reject';
  comment: string;
  /** Minutes after the revision it binds to was pushed. */
  minutesAfter: number;
  revision: number;
}

export interface PendingSpec {
  /** Repository-independent key, stable across runs (for tests and the loader's logs). */
  key: string;
  services: string[];
  author: string;
  coAuthors?: string[];
  kind: ChangeKind;
  ai: { level: AiLevel; tool: string | null };
  preDeploy: boolean | null;
  /** How long before `now` the change was opened. */
  hoursAgo: number;
  title: string;
  description: string;
  files: FileSpec[];
  plan?: TerraformPlanJson;
  /** A second revision pushed later, e.g. after review comments. */
  second?: { hoursAgo: number; files: FileSpec[]; plan?: TerraformPlanJson };
  approvals?: PendingApprovalSpec[];
}
