// A revision's content: the parsed diff and plan, and the SHA-256 that identifies it.
import { createHash } from 'node:crypto';
import { canonicalJson } from '@/lib/audit/chain';
import { tooLarge } from '@/lib/errors';
import { parseTerraformPlan, parseUnifiedDiff } from '@/lib/risk';
import type { DiffFile, TerraformPlanSummary } from '@/lib/risk/types';
import { LIMITS } from './schema';

export interface RevisionContent {
  sha: string;
  diff: string;
  planJson: Record<string, unknown> | null;
  files: DiffFile[];
  plan: TerraformPlanSummary | null;
  additions: number;
  deletions: number;
}

/** Same diff and plan → same SHA, whatever the plan's key order or the diff's line endings. */
export function revisionSha(diff: string, planJson: unknown): string {
  const h = createHash('sha256').update(diff);
  if (planJson != null) h.update('\u0000terraform-plan\u0000').update(canonicalJson(planJson));
  return h.digest('hex');
}

/** Parses and identifies a submitted revision; throws RiskInputError (422) on malformed input. */
export function readRevisionContent(diffText: string | null | undefined, plan: unknown): RevisionContent {
  const diff = (diffText ?? '').replace(/\r\n/g, '\n');
  let planJson: Record<string, unknown> | null = null;
  if (plan != null) {
    if (typeof plan === 'string') {
      if (plan.length > LIMITS.maxPlanBytes) throw tooLarge(`terraformPlan is larger than ${LIMITS.maxPlanBytes} bytes.`);
      try {
        planJson = JSON.parse(plan) as Record<string, unknown>;
      } catch {
        // Let the parser produce its clear message.
        planJson = null;
        parseTerraformPlan(plan);
      }
    } else {
      planJson = plan as Record<string, unknown>;
    }
  }
  const files = parseUnifiedDiff(diff);
  if (files.length > LIMITS.maxFiles) throw tooLarge(`The diff touches ${files.length} files; the limit is ${LIMITS.maxFiles}.`);
  const summary = planJson ? parseTerraformPlan(planJson) : null;
  let additions = 0;
  let deletions = 0;
  for (const f of files) {
    additions += f.additions;
    deletions += f.deletions;
  }
  return { sha: revisionSha(diff, planJson), diff, planJson, files, plan: summary, additions, deletions };
}
