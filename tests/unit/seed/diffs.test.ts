import parseDiff from 'parse-diff';
import { describe, expect, it } from 'vitest';
import type { TerraformPlanJson } from '@/db/seed/types';
import { allChanges } from './fixtures';

const ACTIONS = new Set(['no-op', 'create', 'read', 'update', 'delete']);

describe('diffs and plans', () => {
  it('parses every revision into files whose hunk headers match their lines', () => {
    let revisions = 0;
    for (const c of allChanges()) {
      for (const r of c.revisions) {
        revisions++;
        expect(r.diff.startsWith('diff --git a/'), c.externalId).toBe(true);
        const files = parseDiff(r.diff);
        expect(files.length, c.externalId).toBeGreaterThanOrEqual(1);
        for (const f of files) {
          expect(f.chunks.length, `${c.externalId} ${f.to}`).toBeGreaterThanOrEqual(1);
          expect(f.index?.[0], `${c.externalId} ${f.to}`).toMatch(/^[0-9a-f]{7}\.\.[0-9a-f]{7}$/);
          for (const ch of f.chunks) {
            const oldCount = ch.changes.filter((x) => x.type !== 'add').length;
            const newCount = ch.changes.filter((x) => x.type !== 'del').length;
            expect([oldCount, newCount], `${c.externalId} ${f.to} ${ch.content}`).toEqual([ch.oldLines, ch.newLines]);
            expect(ch.changes.some((x) => x.type !== 'normal'), `${c.externalId} hunk without a change`).toBe(true);
          }
        }
        const lines = files.reduce((n, f) => n + f.additions + f.deletions, 0);
        expect(lines, c.externalId).toBeGreaterThan(0);
        expect(lines, c.externalId).toBeLessThanOrEqual(140);
      }
    }
    expect(revisions).toBeGreaterThan(2000);
  });

  it('gives every plan resource changes with valid actions', () => {
    let plans = 0;
    for (const c of allChanges()) {
      for (const r of c.revisions) {
        if (r.terraformPlan === null) continue;
        plans++;
        expect(c.kind, c.externalId).toBe('infra');
        const plan = r.terraformPlan as TerraformPlanJson;
        expect(plan.format_version).toBe('1.2');
        expect(plan.terraform_version).toMatch(/^\d+\.\d+\.\d+$/);
        expect(plan.resource_changes.length).toBeGreaterThanOrEqual(1);
        for (const rc of plan.resource_changes) {
          expect(rc.address.endsWith(`${rc.type}.${rc.name}${rc.index === undefined ? '' : `[${rc.index}]`}`), rc.address).toBe(true);
          expect(rc.change.actions.length).toBeGreaterThanOrEqual(1);
          for (const a of rc.change.actions) expect(ACTIONS.has(a), a).toBe(true);
          if (rc.change.actions.includes('create') && rc.change.actions.length === 1) expect(rc.change.before).toBeNull();
          if (rc.change.actions.includes('delete') && rc.change.actions.length === 1) expect(rc.change.after).toBeNull();
        }
      }
    }
    expect(plans).toBeGreaterThan(100);
  });

  it('varies the generated content instead of repeating a few diffs', () => {
    const diffs = allChanges().map((c) => c.revisions[0]!.diff);
    expect(new Set(diffs).size / diffs.length).toBeGreaterThan(0.6);
    const titles = allChanges().map((c) => c.title);
    expect(new Set(titles).size / titles.length).toBeGreaterThan(0.5);
    for (const t of titles) expect(t).not.toMatch(/lorem|ipsum|undefined|NaN|\[object/i);
  });
});
