import { describe, expect, it } from 'vitest';
import { STORY, storyIncidents } from '@/db/seed/data/incidents';
import { people, services } from '@/db/seed/data/org';
import { generateDay, generateHistory } from '@/db/seed/history';
import { dayNumber } from '@/db/seed/templates/random';
import { FROM, history, SEED, TO } from './fixtures';

const personBy = new Map(people.map((p) => [p.handle, p]));
const serviceSlugs = new Set(services.map((s) => s.slug));
const DAY = 86_400_000;

describe('generated history', () => {
  it('generates the full year in under 3 seconds', () => {
    const t0 = performance.now();
    generateHistory({ from: FROM, to: TO, seed: SEED });
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('is deterministic for a seed and differs for another', () => {
    const a = generateHistory({ from: FROM, to: new Date('2026-01-15T00:00:00Z'), seed: 7 });
    const b = generateHistory({ from: FROM, to: new Date('2026-01-15T00:00:00Z'), seed: 7 });
    const c = generateHistory({ from: FROM, to: new Date('2026-01-15T00:00:00Z'), seed: 8 });
    expect(b).toEqual(a);
    expect(c.changes.map((x) => x.title)).not.toEqual(a.changes.map((x) => x.title));
  });

  it('gives a past day the same content whatever `to` is', () => {
    const short = generateHistory({ from: FROM, to: new Date('2026-03-10T00:00:00Z'), seed: SEED });
    const full = history();
    const day = (list: { createdAt: Date }[], d: string) => list.filter((c) => c.createdAt.toISOString().startsWith(d));
    for (const d of ['2025-10-14', '2025-12-10', '2026-01-20', '2026-03-05', '2026-03-09']) {
      expect(day(full.changes, d).length, d).toBeGreaterThan(0);
      expect(day(short.changes, d), d).toEqual(day(full.changes, d));
    }
    expect(generateDay(dayNumber(new Date('2026-02-11T00:00:00Z')), SEED)).toEqual(generateDay(dayNumber(new Date('2026-02-11T00:00:00Z')), SEED));
  });

  it('stays inside [from, to) and covers it', () => {
    const { changes } = history();
    expect(changes.length).toBeGreaterThan(2000);
    for (const c of changes) {
      expect(c.createdAt.getTime()).toBeGreaterThanOrEqual(FROM.getTime());
      expect(c.createdAt.getTime()).toBeLessThan(TO.getTime());
    }
    const last = changes.at(-1);
    expect(TO.getTime() - (last?.createdAt.getTime() ?? 0)).toBeLessThan(4 * DAY);
  });

  it('has unique, well-formed external ids', () => {
    const ids = history().changes.map((c) => c.externalId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of history().changes) {
      expect(c.externalId).toMatch(/^acme\/[a-z0-9-]+#\d+$/);
      expect(c.externalId.startsWith(`${c.repo}#`)).toBe(true);
    }
  });

  it('references only people and services that exist, with sound sign-offs', () => {
    for (const c of history().changes) {
      const author = personBy.get(c.author);
      expect(author, c.author).toBeDefined();
      for (const h of c.coAuthors) expect(personBy.get(h)?.isBot, h).toBe(false);
      for (const s of c.services) expect(serviceSlugs.has(s), s).toBe(true);
      expect(c.revisions.length).toBeGreaterThanOrEqual(1);
      expect(c.revisions[0]?.createdAt.getTime()).toBe(c.createdAt.getTime());
      for (let i = 1; i < c.revisions.length; i++) expect(c.revisions[i]!.createdAt > c.revisions[i - 1]!.createdAt).toBe(true);
      const perRevision = new Set<string>();
      let lastApproval = c.createdAt.getTime();
      for (const a of c.approvals) {
        const p = personBy.get(a.person);
        expect(p, a.person).toBeDefined();
        expect(p?.isBot).toBe(false);
        expect(a.person).not.toBe(c.author);
        expect(c.coAuthors).not.toContain(a.person);
        const rev = c.revisions[a.revision];
        expect(rev, `${c.externalId} approval on revision ${a.revision}`).toBeDefined();
        expect(a.at.getTime()).toBeGreaterThan(rev!.createdAt.getTime());
        expect(perRevision.has(`${a.revision}:${a.person}`), 'one decision per person per revision').toBe(false);
        perRevision.add(`${a.revision}:${a.person}`);
        if (a.decision === 'reject') expect(a.comment.trim().length).toBeGreaterThan(0);
        if (a.decision === 'approve') {
          expect((p?.level ?? 0)).toBeGreaterThanOrEqual(7);
          lastApproval = Math.max(lastApproval, a.at.getTime());
        }
      }
      for (const d of c.deployments) {
        expect(d.at.getTime(), c.externalId).toBeGreaterThanOrEqual(lastApproval);
        expect(personBy.get(d.by)?.isBot, d.by).toBe(false);
      }
      if (c.status === 'rejected') expect(c.deployments).toHaveLength(0);
      if (c.status === 'deployed') expect(c.deployments.some((d) => d.environment === 'production' && d.status === 'succeeded')).toBe(true);
      if (c.status === 'rolled_back') expect(c.deployments.at(-1)?.status).toBe('rolled_back');
      if (c.ai.level === 'agent') expect(author?.isBot).toBe(true);
      if (c.ai.level !== 'none') expect(c.ai.tool).toBeTruthy();
    }
  });

  it('has a realistic mix: AI share growing, most Tier-1 changes with two approvals, a handful of bypasses', () => {
    const { changes } = history();
    const share = (from: string, to: string) => {
      const xs = changes.filter((c) => c.createdAt.toISOString() >= from && c.createdAt.toISOString() < to);
      return xs.filter((c) => c.ai.level !== 'none').length / xs.length;
    };
    const early = share('2025-09-29', '2026-01-01');
    const late = share('2026-08-01', '2026-11-28');
    expect(early).toBeGreaterThan(0.18);
    expect(late).toBeLessThan(0.5);
    expect(late).toBeGreaterThan(early + 0.08);
    const count = (level: string) => changes.filter((c) => c.ai.level === level).length;
    expect(count('assisted')).toBeGreaterThan(count('generated'));
    expect(count('generated')).toBeGreaterThan(count('agent'));

    const tier1 = new Set(services.filter((s) => s.tier === 1).map((s) => s.slug));
    const t1deployed = changes.filter((c) => c.services.some((s) => tier1.has(s)) && c.deployments.some((d) => d.viaGate && d.environment === 'production'));
    const two = t1deployed.filter((c) => c.approvals.filter((a) => a.decision === 'approve').length >= 2).length;
    expect(two / t1deployed.length).toBeGreaterThan(0.85);
    expect(two).toBeLessThan(t1deployed.length); // a few compliance gaps

    const bypasses = changes.filter((c) => c.deployments.some((d) => !d.viaGate));
    expect(bypasses.length).toBeGreaterThanOrEqual(4);
    expect(bypasses.length).toBeLessThanOrEqual(16);
    expect(new Set(bypasses.map((c) => c.createdAt.toISOString().slice(0, 7))).size).toBeGreaterThanOrEqual(4);
    expect(changes.some((c) => c.status === 'rolled_back')).toBe(true);
    expect(changes.some((c) => c.status === 'rejected')).toBe(true);
    expect(changes.some((c) => c.revisions.length === 2 && c.approvals.some((a) => a.decision === 'reject' && a.revision === 0))).toBe(true);
  });
});

describe('incidents', () => {
  it('includes the four story incidents with their figures', () => {
    const { incidents } = history();
    const byId = new Map(incidents.map((i) => [i.externalId, i]));
    const [dns, cost, promise, config] = storyIncidents;
    for (const s of storyIncidents) {
      expect(byId.get(s.externalId)).toEqual(s);
      expect(s.severity).toBe(1);
      expect(s.summary.length).toBeGreaterThan(200);
      expect(s.lessons.length).toBeGreaterThan(100);
    }
    const hours = (i: typeof dns) => ((i!.resolvedAt?.getTime() ?? 0) - i!.startedAt.getTime()) / 3_600_000;
    expect(dns!.startedAt.toISOString().slice(0, 7)).toBe('2025-10');
    expect(hours(dns)).toBe(15);
    expect(dns!.services).toContain('dns-resolver');
    expect(dns!.causeChangeExternalId).toBeNull();
    expect(cost!.startedAt.toISOString().slice(0, 7)).toBe('2025-12');
    expect(hours(cost)).toBe(13);
    expect(cost!.services).toContain('cost-explorer');
    expect(promise!.startedAt.toISOString().slice(0, 10)).toBe('2026-03-02');
    expect(promise!.lostOrders).toBe(120_000);
    expect(promise!.services).toEqual(expect.arrayContaining(['delivery-promise', 'cart']));
    expect(config!.startedAt.toISOString().slice(0, 10)).toBe('2026-03-05');
    expect(hours(config)).toBe(6);
    expect(config!.lostOrders).toBe(6_300_000);
    expect(config!.ordersDropPct).toBe(99);
    expect(config!.services).toContain('config-service');
  });

  it('links the story incidents to changes emitted on their days with the right attributes', () => {
    const byId = new Map(history().changes.map((c) => [c.externalId, c]));
    const cost = byId.get(STORY.costExplorer.causeChange ?? '');
    expect(cost).toMatchObject({ services: ['cost-explorer'], kind: 'infra', ai: { level: 'agent' } });
    expect(personBy.get(cost!.author)?.isBot).toBe(true);
    const plan = cost!.revisions[0]!.terraformPlan as { resource_changes: { change: { actions: string[] } }[] };
    expect(plan.resource_changes.some((r) => r.change.actions.includes('delete') && r.change.actions.includes('create'))).toBe(true);
    expect(dayNumber(cost!.createdAt)).toBe(STORY.costExplorer.day);

    const promise = byId.get(STORY.deliveryPromise.causeChange ?? '');
    expect(promise).toMatchObject({ services: ['delivery-promise'], kind: 'code', ai: { level: 'assisted' } });
    expect(dayNumber(promise!.createdAt)).toBe(STORY.deliveryPromise.day);

    const push = byId.get(STORY.configPush.causeChange ?? '');
    expect(push).toMatchObject({ services: ['config-service'], kind: 'config', preDeploy: false });
    expect(push!.approvals.filter((a) => a.decision === 'approve').length).toBeLessThanOrEqual(1);
    expect(push!.deployments.some((d) => d.environment === 'production' && !d.viaGate)).toBe(true);
    expect(dayNumber(push!.createdAt)).toBe(STORY.configPush.day);

    for (const inc of storyIncidents) {
      if (!inc.causeChangeExternalId) continue;
      const c = byId.get(inc.causeChangeExternalId)!;
      const deployed = c.deployments.find((d) => d.environment === 'production' && d.status === 'succeeded');
      expect(deployed!.at.getTime()).toBeLessThan(inc.startedAt.getTime());
    }
  });

  it('generates a few minor incidents a month, caused by changes deployed before they started', () => {
    const { incidents, changes } = history();
    const byId = new Map(changes.map((c) => [c.externalId, c]));
    const minor = incidents.filter((i) => i.severity > 1);
    const months = 14;
    expect(minor.length / months).toBeGreaterThanOrEqual(3);
    expect(minor.length / months).toBeLessThanOrEqual(7);
    expect(new Set(incidents.map((i) => i.externalId)).size).toBe(incidents.length);
    for (const i of minor) {
      expect(i.severity).toBeGreaterThanOrEqual(2);
      for (const s of i.services) expect(serviceSlugs.has(s)).toBe(true);
      expect(i.resolvedAt!.getTime()).toBeGreaterThan(i.startedAt.getTime());
      if (i.lostOrders !== null) expect(i.ordersDropPct).toBeGreaterThan(0);
      if (!i.causeChangeExternalId) continue;
      const c = byId.get(i.causeChangeExternalId);
      expect(c, i.causeChangeExternalId).toBeDefined();
      const deployed = c!.deployments.find((d) => d.environment === 'production' && d.status === 'succeeded');
      expect(deployed!.at.getTime()).toBeLessThan(i.startedAt.getTime());
      expect(i.services).toContain(c!.services[0]);
    }
    expect(minor.filter((i) => i.causeChangeExternalId).length).toBeGreaterThan(minor.length * 0.7);
  });

  it('makes risky changes cause incidents more often than large ones', () => {
    const { incidents, changes } = history();
    const causes = new Set(incidents.map((i) => i.causeChangeExternalId));
    const deployed = changes.filter((c) => c.deployments.some((d) => d.environment === 'production'));
    const rate = (xs: typeof deployed) => xs.filter((c) => causes.has(c.externalId)).length / Math.max(1, xs.length);
    const ai = deployed.filter((c) => c.ai.level !== 'none');
    const human = deployed.filter((c) => c.ai.level === 'none');
    expect(rate(ai)).toBeGreaterThan(rate(human));
    const configOrInfra = deployed.filter((c) => c.kind === 'config' || c.kind === 'infra');
    const code = deployed.filter((c) => c.kind === 'code');
    expect(rate(configOrInfra)).toBeGreaterThan(rate(code));
    const size = (c: (typeof deployed)[number]) => c.revisions.at(-1)!.diff.split('\n').filter((l) => /^[+-](?![+-]{2} )/.test(l)).length;
    const sorted = [...deployed].sort((a, b) => size(a) - size(b));
    const big = sorted.slice(Math.floor(sorted.length * 0.75));
    expect(rate(big)).toBeLessThan(rate(configOrInfra));
  });
});
