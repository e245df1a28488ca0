import parseDiff from 'parse-diff';
import { describe, expect, it } from 'vitest';
import { pendingChanges } from '@/db/seed/data/pending';
import { people, services } from '@/db/seed/data/org';
import type { TerraformPlanJson } from '@/db/seed/types';
import { history, NOW, pending } from './fixtures';

const personBy = new Map(people.map((p) => [p.handle, p]));
const serviceBy = new Map(services.map((s) => [s.slug, s]));
const H = 3_600_000;

describe('pending changes', () => {
  it('has about forty pending changes, dated hours to a few days before now', () => {
    const list = pending();
    expect(list.length).toBeGreaterThanOrEqual(35);
    expect(list.length).toBeLessThanOrEqual(50);
    for (const c of list) {
      expect(c.status).toBe('pending');
      expect(c.deployments).toHaveLength(0);
      expect(c.environment).toBe('production');
      const age = NOW.getTime() - c.createdAt.getTime();
      expect(age).toBeGreaterThan(0);
      expect(age).toBeLessThanOrEqual(4 * 24 * H);
      expect(c.revisions.length).toBeGreaterThanOrEqual(1);
      expect(c.revisions.length).toBeLessThanOrEqual(2);
      for (const r of c.revisions) expect(r.createdAt.getTime()).toBeLessThan(NOW.getTime());
      expect(personBy.has(c.author), c.author).toBe(true);
      for (const s of c.services) expect(serviceBy.has(s), s).toBe(true);
      for (const a of c.approvals) {
        expect(personBy.get(a.person)?.isBot).toBe(false);
        expect(a.person).not.toBe(c.author);
        expect(c.coAuthors).not.toContain(a.person);
        expect(a.at.getTime()).toBeGreaterThan(c.revisions[a.revision]!.createdAt.getTime());
        expect(a.at.getTime()).toBeLessThan(NOW.getTime());
      }
    }
  });

  it('is deterministic for a given now and never collides with the history', () => {
    expect(pendingChanges(NOW)).toEqual(pendingChanges(NOW));
    const ids = pending().map((c) => c.externalId);
    expect(new Set(ids).size).toBe(ids.length);
    const historyIds = new Set(history().changes.map((c) => c.externalId));
    for (const id of ids) expect(historyIds.has(id), id).toBe(false);
  });

  it('spans every AI level, every kind and low to critical risk', () => {
    const list = pending();
    expect(new Set(list.map((c) => c.ai.level))).toEqual(new Set(['none', 'assisted', 'generated', 'agent']));
    expect(new Set(list.map((c) => c.kind))).toEqual(new Set(['code', 'config', 'infra', 'schema']));
    expect(new Set(list.map((c) => serviceBy.get(c.services[0]!)!.tier))).toEqual(new Set([1, 2, 3]));
    const twoRevisions = list.filter((c) => c.revisions.length === 2);
    expect(twoRevisions.length).toBeGreaterThanOrEqual(2);
    for (const c of twoRevisions) expect(c.approvals.some((a) => a.revision === 0 && a.decision === 'approve')).toBe(true);
  });

  it("contains an agent's delete-and-recreate plan on a Tier-1 service", () => {
    const c = pending().find((x) => {
      const plan = x.revisions.at(-1)!.terraformPlan as TerraformPlanJson | null;
      return personBy.get(x.author)?.isBot && x.ai.level === 'agent' && serviceBy.get(x.services[0]!)?.tier === 1
        && plan?.resource_changes.some((r) => r.change.actions.includes('delete') && r.change.actions.includes('create'));
    });
    expect(c).toBeDefined();
    const plan = c!.revisions.at(-1)!.terraformPlan as TerraformPlanJson;
    expect(plan.resource_changes.map((r) => r.type)).toEqual(expect.arrayContaining(['aws_ecs_cluster', 'aws_rds_cluster']));
  });

  it('contains an unvalidated global config push to config-service', () => {
    const c = pending().find((x) => x.services.includes('config-service') && x.kind === 'config' && x.preDeploy === false);
    expect(c).toBeDefined();
    expect(c!.revisions[0]!.diff).toContain('config/global/');
  });

  it('contains the other required risky and trivial changes', () => {
    const diffs = pending().map((c) => ({ c, d: c.revisions.at(-1)!.diff }));
    expect(diffs.some(({ d }) => /^\+.*DROP COLUMN/m.test(d))).toBe(true);
    expect(diffs.some(({ d }) => /^\+.*kubectl .*delete/m.test(d) && /^\+.*helm .*uninstall/m.test(d))).toBe(true);
    expect(diffs.some(({ c }) => /lower .*timeout|remove redundant/i.test(c.title))).toBe(true);
    const readme = diffs.find(({ c, d }) => serviceBy.get(c.services[0]!)!.tier === 3 && parseDiff(d).length === 1 && parseDiff(d)[0]!.to === 'README.md');
    expect(readme).toBeDefined();
    const f = parseDiff(readme!.d)[0]!;
    expect([f.additions, f.deletions]).toEqual([1, 1]);
  });
});
