// The contract between the change templates and the per-language code renderers:
// templates pick names and values and write the prose, a kit renders the files.
import type { ChangeKind, TerraformPlanJson } from '../types';
import type { FileSpec } from './diff';
import type { Profile } from './domain';
import type { Rng } from './random';

/** What a change really does: the causation model reads these, the risk engine must find them in the diff. */
export interface Traits {
  destructive: boolean;
  removesGuard: boolean;
  testsTouched: boolean;
  docsOnly: boolean;
}

export interface Draft {
  kind: ChangeKind;
  title: string;
  description: string;
  files: FileSpec[];
  plan: TerraformPlanJson | null;
  traits: Traits;
}

export interface Ctx {
  rng: Rng;
  slug: string;
  profile: Profile;
  /** When the change is written: migration names and dates in the text use it. */
  when: Date;
}

export const traits = (t: Partial<Traits> = {}): Traits => ({ destructive: false, removesGuard: false, testsTouched: false, docsOnly: false, ...t });

export interface TimeoutParams { client: string; from: number; to: number; edgeBudgetMs: number }
export interface RetryParams { client: string; op: string; attempts: number; baseDelayMs: number; withTest: boolean }
export interface GuardParams { entity: string; field: string; add: boolean }
export interface FieldParams { entity: string; field: string; type: 'string' | 'number' | 'boolean' | 'date'; withTest: boolean }
export interface MetricParams { client: string; op: string; metric: string }
export interface RefactorParams { from: string; to: string; callers: string[] }
export interface DepBump { name: string; from: string; to: string }
export type BugVariant = 'rounding' | 'pagination' | 'timezone';

export interface LangKit {
  timeout(ctx: Ctx, p: TimeoutParams): FileSpec[];
  retry(ctx: Ctx, p: RetryParams): FileSpec[];
  guard(ctx: Ctx, p: GuardParams): FileSpec[];
  field(ctx: Ctx, p: FieldParams): FileSpec[];
  bugfix(ctx: Ctx, v: BugVariant): FileSpec[];
  metric(ctx: Ctx, p: MetricParams): FileSpec[];
  refactor(ctx: Ctx, p: RefactorParams): FileSpec[];
  depBump(ctx: Ctx, d: DepBump): FileSpec[];
  deps: DepBump[];
  testPath(ctx: Ctx, name: string): string;
}
