// A pool of real-shaped change drafts from the demo's template library (code in five languages,
// runtime config, Helm values, Terraform plans, SQL migrations, clean-up scripts), each rendered,
// parsed and flagged once by the real risk engine. A quarter of a million changes then reuse them:
// the diff text and its files are those of a real submission, only parsed once per draft.
import type { ChangeKind } from '@/db/schema/enums';
import { added, modified, renderDiff } from '@/db/seed/templates/diff';
import { profileOf, type Profile } from '@/db/seed/templates/domain';
import type { Draft, Traits } from '@/db/seed/templates/kit';
import { draftFor } from '@/db/seed/templates/pick';
import { Rng } from '@/db/seed/templates/random';
import { readRevisionContent } from '@/lib/changes/content';
import { detectDestructive } from '@/lib/risk';
import type { DiffFile, RiskFinding, TerraformPlanSummary } from '@/lib/risk/types';

export interface PoolContent {
  sha: string;
  diff: string;
  planJson: Record<string, unknown> | null;
  files: DiffFile[];
  plan: TerraformPlanSummary | null;
  findings: RiskFinding[];
  additions: number;
  deletions: number;
  lines: number;
}

export interface PoolDraft {
  key: number;
  archetype: string;
  kind: ChangeKind;
  /** The title without the "<service>: " prefix. */
  title: string;
  description: string;
  traits: Traits;
  content: PoolContent;
  /** The same change after review: a test or a rollout note added (built on first use). */
  revised?: PoolContent;
  draft: Draft;
}

function contentOf(diff: string, planJson: unknown): PoolContent {
  const c = readRevisionContent(diff, planJson);
  // Flags are written onto the lines, so the stored files carry them as a real submission's do.
  const findings = detectDestructive(c.files, c.plan, { annotate: true });
  return { sha: c.sha, diff: c.diff, planJson: c.planJson, files: c.files, plan: c.plan, findings, additions: c.additions, deletions: c.deletions, lines: c.additions + c.deletions };
}

export class DraftPool {
  private byArchetype = new Map<string, Map<ChangeKind, PoolDraft[]>>();
  readonly all: PoolDraft[] = [];

  constructor(archetypes: Iterable<string>, perArchetype: number, seed: number, onProgress?: (done: number, total: number) => void) {
    const list = [...new Set(archetypes)].sort();
    const total = list.length * perArchetype;
    for (const archetype of list) {
      const profile = profileOf(archetype);
      const kinds = new Map<ChangeKind, PoolDraft[]>();
      for (let i = 0; i < perArchetype; i++) {
        const rng = Rng.for('bench-pool', seed, archetype, i);
        // Every kind the profile uses gets drafts, in proportion to its weight (at least three).
        const kind = i < profile.kinds.length * 3 ? profile.kinds[i % profile.kinds.length]![0] : rng.weighted(profile.kinds);
        const draft = draftFor({ rng, slug: archetype, profile, when: new Date(Date.UTC(2026, 0, 1 + (i % 300))) }, kind, { dependencyBump: i % 17 === 16 && profile.lang !== 'hcl' });
        const d: PoolDraft = {
          key: this.all.length,
          archetype,
          kind: draft.kind,
          title: draft.title.startsWith(`${archetype}: `) ? draft.title.slice(archetype.length + 2) : draft.title,
          description: draft.description,
          traits: draft.traits,
          content: contentOf(renderDiff(draft.files), draft.plan),
          draft,
        };
        this.all.push(d);
        kinds.set(d.kind, [...(kinds.get(d.kind) ?? []), d]);
        onProgress?.(this.all.length, total);
      }
      this.byArchetype.set(archetype, kinds);
    }
  }

  /** A draft of (about) the given kind for a service of this archetype. */
  pick(rng: Rng, archetype: string, kind: ChangeKind): PoolDraft {
    const kinds = this.byArchetype.get(archetype);
    if (!kinds) throw new Error(`no drafts for ${archetype}`);
    const list = kinds.get(kind) ?? [...kinds.values()].flat();
    return rng.pick(list);
  }

  profile(archetype: string): Profile {
    return profileOf(archetype);
  }

  revisedOf(d: PoolDraft): PoolContent {
    if (!d.revised) {
      const followUp = d.kind === 'code'
        ? added(`test/regression/${d.archetype}-review-followup.test.ts`, [
          "import { describe, expect, it } from 'vitest';",
          "import { handler } from '../../src/handler';",
          '',
          "describe('review follow-up', () => {",
          "  it('keeps the old behaviour when the new path is disabled', async () => {",
          '    const res = await handler({ flags: { newPath: false } });',
          '    expect(res.status).toBe(200);',
          '  });',
          '});',
        ].join('\n'))
        : modified('ROLLOUT.md', { oldStart: 1, section: '', lines: ['+## Rollout plan', '+', '+1. Apply to staging and run the smoke suite.', '+2. Apply to production in the Tuesday window with the owning team on the call.', '+3. Rollback: revert this PR and re-apply; expected under 10 minutes.', '+', ' # Changes to this repository'] });
      d.revised = contentOf(renderDiff([...d.draft.files, followUp]), d.draft.plan);
    }
    return d.revised;
  }
}
