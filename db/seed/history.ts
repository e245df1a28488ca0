// A year and more of Acme Retail's change history, generated day by day from a seeded PRNG.
// Each day's generator is derived from (seed, day), so a past day's content never depends on the
// range asked for. Incidents are drawn from a logistic model of real risk factors, size only weakly.
import { storyIncidents } from './data/incidents';
import { AGENT_TOOLS, dependentsOf, membersOf, people, seniorsOf, services } from './data/org';
import { added, countLines, modified, renderDiff } from './templates/diff';
import { profileOf } from './templates/domain';
import { externalId, GENERATED_SLOTS } from './templates/ids';
import { externalCauseText, incidentText } from './templates/incident-text';
import type { Draft } from './templates/kit';
import { draftFor } from './templates/pick';
import { addMinutes, DAY, dayNumber, dayStart, Rng, utc } from './templates/random';
import { approveComment, ASSISTED_TOOLS, GENERATED_TOOLS, rejectComment } from './templates/reviews';
import { storyChangesOn } from './templates/story-changes';
import type { AiLevel, SeedApproval, SeedChange, SeedDeployment, SeedIncident, SeedPerson, SeedService } from './types';

export interface HistoryOptions { from: Date; to: Date; seed: number }
export interface History { changes: SeedChange[]; incidents: SeedIncident[] }

/** The AI share ramps from this date, whatever range is generated. */
const RAMP_START = dayNumber(utc(2025, 9, 29));

/** Reviewers who approve within minutes with a one-word comment. */
const RUBBER_STAMPERS: Record<string, number> = { jwhitaker: 0.8, gmorales: 0.7 };
/** A pair who mostly approve each other's changes. */
const MUTUAL: Record<string, string> = { hlindqvist: 'nosei', nosei: 'hlindqvist' };

const humans = people.filter((p) => !p.isBot && (p.role === 'engineer' || p.role === 'senior'));
const agents = Object.keys(AGENT_TOOLS);
const serviceWeights = services.map((s) => [s, profileOf(s.slug).weight] as const);
const tier1Dependents = new Map(services.map((s) => [s.slug, dependentsOf(s.slug).filter((d) => d.tier === 1).length]));

export function generateHistory(opts: HistoryOptions): History {
  const first = dayNumber(opts.from);
  const end = Math.ceil(opts.to.getTime() / DAY); // exclusive: `to` is the start of today
  const changes: SeedChange[] = [];
  const incidents: SeedIncident[] = [];
  for (let day = first; day < end; day++) {
    const out = generateDay(day, opts.seed);
    changes.push(...out.changes);
    incidents.push(...out.incidents);
  }
  for (const inc of storyIncidents) {
    const d = dayNumber(inc.startedAt);
    if (d >= first && d < end) incidents.push(inc);
  }
  changes.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.externalId.localeCompare(b.externalId));
  incidents.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.externalId.localeCompare(b.externalId));
  return { changes, incidents };
}

function isFreeze(date: Date): boolean {
  const m = date.getUTCMonth() + 1;
  const d = date.getUTCDate();
  if ((m === 12 && d >= 22) || (m === 1 && d <= 2)) return true;
  if (m === 11) {
    // Peak freeze: the week of Black Friday (the fourth Friday of November).
    const firstDow = new Date(Date.UTC(date.getUTCFullYear(), 10, 1)).getUTCDay();
    const blackFriday = 1 + ((5 - firstDow + 7) % 7) + 21;
    return d >= blackFriday - 4 && d <= blackFriday + 3;
  }
  return false;
}

/** Everything that happened on one UTC day. */
export function generateDay(day: number, seed: number): History {
  const rng = Rng.for('acme-history', seed, day);
  const date = dayStart(day);
  const dow = date.getUTCDay();
  const weekend = dow === 0 || dow === 6;
  const freeze = isFreeze(date);
  const n = weekend ? rng.weighted([[0, 45], [1, 35], [2, 20]] as const) : freeze ? rng.int(1, 4) : rng.int(6, 14);
  const bypassIndex = n > 0 && rng.chance(0.016) ? rng.int(0, n - 1) : -1;
  const slots = new Map<string, number>();
  const changes: SeedChange[] = [];
  const incidents: SeedIncident[] = [];
  for (let i = 0; i < n; i++) {
    const crng = Rng.for('acme-change', seed, day, i);
    let svc = crng.weighted(serviceWeights);
    for (let tries = 0; (slots.get(svc.repo) ?? 0) >= GENERATED_SLOTS && tries < 10; tries++) svc = crng.weighted(serviceWeights);
    const slot = slots.get(svc.repo) ?? 0;
    if (slot >= GENERATED_SLOTS) continue;
    slots.set(svc.repo, slot + 1);
    const made = makeChange(crng, { day, svc, id: externalId(svc.repo, day, slot), weekend, bypass: i === bypassIndex });
    changes.push(made.change);
    if (made.incident) incidents.push({ ...made.incident, externalId: `INC-${ymd(date)}-${incidents.length + 1}` });
  }
  if (rng.chance(0.025)) {
    const svc = rng.pick(services.filter((s) => s.tier <= 2));
    const start = addMinutes(date, rng.int(6 * 60, 20 * 60));
    const t = externalCauseText(rng, svc);
    incidents.push({
      externalId: `INC-${ymd(date)}-${incidents.length + 1}`, title: t.title, severity: rng.pick([3, 4] as const), startedAt: start, resolvedAt: addMinutes(start, rng.logMinutes(20, 240)),
      services: [svc.slug], lostOrders: null, ordersDropPct: null, impact: t.impact, summary: t.summary, lessons: t.lessons, causeChangeExternalId: null,
    });
  }
  changes.push(...storyChangesOn(day));
  return { changes, incidents };
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const ymd = (d: Date) => `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;

interface ChangeSpec { day: number; svc: SeedService; id: string; weekend: boolean; bypass: boolean }

function aiLevelFor(rng: Rng, day: number): AiLevel {
  const t = Math.min(1.3, Math.max(0, (day - RAMP_START) / 365));
  if (!rng.chance(0.26 + 0.17 * t)) return 'none';
  const agentShare = 0.08 + 0.1 * t;
  return rng.weighted([['assisted', 0.6 - agentShare / 2], ['generated', 0.4 - agentShare / 2], ['agent', agentShare]] as const);
}

function pickAuthor(rng: Rng, svc: SeedService): { author: SeedPerson; crossTeam: boolean } {
  if (rng.chance(0.1)) return { author: rng.pick(humans), crossTeam: true };
  const team = membersOf(svc.team);
  const author = rng.weighted(team.map((p) => [p, p.role === 'engineer' ? 1.4 : (p.level ?? 7) >= 8 ? 0.7 : 1] as const));
  return { author, crossTeam: false };
}

function pickApprovers(rng: Rng, svc: SeedService, exclude: Set<string>, count: number, author: string): SeedPerson[] {
  const chosen: SeedPerson[] = [];
  const mutual = MUTUAL[author];
  if (mutual && !exclude.has(mutual) && rng.chance(0.85)) chosen.push(people.find((p) => p.handle === mutual) as SeedPerson);
  const pool = [...seniorsOf(svc.team), ...people.filter((p) => p.role === 'senior' && p.team !== svc.team)];
  while (chosen.length < count) {
    const candidates = pool.filter((p) => !exclude.has(p.handle) && !chosen.includes(p));
    if (candidates.length === 0) break;
    const sameTeam = candidates.filter((p) => p.team === svc.team);
    const from = sameTeam.length > 0 ? sameTeam : candidates;
    chosen.push(rng.weighted(from.map((p) => [p, RUBBER_STAMPERS[p.handle] ? 1.6 : 1] as const)));
  }
  return chosen;
}

/** p(incident) from the change's real risk factors: a logistic model, size only a weak term. */
export function incidentProbability(x: {
  ai: AiLevel; tier: number; tier1Dependents: number; kind: Draft['kind']; traits: Draft['traits'];
  preDeploy: boolean | null; unfamiliar: boolean; fragile: number; lines: number; bypass: boolean;
}): number {
  let z = -6.55;
  z += { none: 0, assisted: 0.6, generated: 1.0, agent: 1.4 }[x.ai];
  z += x.tier === 1 ? 0.7 : x.tier === 2 ? 0.2 : -0.8;
  z += 0.07 * Math.min(x.tier1Dependents, 15);
  z += { code: 0, config: 0.9, infra: 0.7, schema: 0.5 }[x.kind];
  if (x.traits.destructive) z += 1.8;
  if (x.traits.removesGuard) z += 1.3;
  if (x.preDeploy === false) z += 1.1;
  else if (x.preDeploy === null) z += 0.4;
  if (x.kind === 'code' && !x.traits.testsTouched && !x.traits.docsOnly) z += 0.5;
  if (x.traits.docsOnly) z -= 2.5;
  if (x.unfamiliar) z += 0.4;
  if (x.bypass) z += 0.6;
  z += 1.1 * x.fragile;
  z += 0.1 * Math.log1p(x.lines / 25);
  return 1 / (1 + Math.exp(-z));
}

function makeChange(rng: Rng, spec: ChangeSpec): { change: SeedChange; incident: Omit<SeedIncident, 'externalId'> | null } {
  const { svc } = spec;
  const profile = profileOf(svc.slug);
  const date = dayStart(spec.day);
  const createdAt = addMinutes(date, (spec.weekend ? 9 * 60 : 7 * 60) + rng.int(0, 6 * 60));
  const dependabot = profile.lang !== 'hcl' && rng.chance(0.06);
  const ai = dependabot ? 'none' : aiLevelFor(rng, spec.day);
  let kind = dependabot ? 'code' as const : rng.weighted(profile.kinds);
  const draft = draftFor({ rng, slug: svc.slug, profile, when: createdAt }, kind, { dependencyBump: dependabot });
  kind = draft.kind;

  let author: SeedPerson;
  let coAuthors: string[] = [];
  let unfamiliar = false;
  let tool: string | null = null;
  if (dependabot) {
    author = people.find((p) => p.handle === 'dependabot[bot]') as SeedPerson;
  } else if (ai === 'agent') {
    const bot = rng.pick(agents);
    author = people.find((p) => p.handle === bot) as SeedPerson;
    tool = AGENT_TOOLS[bot] ?? null;
    coAuthors = [pickAuthor(rng, svc).author.handle];
    unfamiliar = true;
  } else {
    const a = pickAuthor(rng, svc);
    author = a.author;
    unfamiliar = a.crossTeam;
    if (rng.chance(0.1)) {
      const mate = membersOf(svc.team).filter((p) => p.handle !== author.handle);
      if (mate.length > 0) coAuthors = [rng.pick(mate).handle];
    }
    if (ai === 'assisted') tool = rng.weighted(ASSISTED_TOOLS);
    if (ai === 'generated') tool = rng.weighted(GENERATED_TOOLS);
  }

  const tier = svc.tier;
  let preDeploy: boolean | null;
  if (spec.bypass) preDeploy = rng.chance(0.6) ? false : null;
  else if (tier === 1) preDeploy = true;
  else preDeploy = rng.weighted([[true, 75], [null, 15], [false, kind === 'code' ? 6 : 14]] as const);

  const title = spec.bypass && rng.chance(0.6) ? `hotfix: ${draft.title}` : draft.title;
  const aiNote = ai === 'agent' ? `\n\n🤖 Opened by ${tool} on behalf of @${coAuthors[0] ?? 'unknown'}.` : ai === 'none' ? '' : `\n\nAI assistance: ${ai} (${tool}).`;
  const exclude = new Set([author.handle, ...coAuthors]);
  const revisions = [{ diff: renderDiff(draft.files), terraformPlan: draft.plan as unknown, createdAt }];
  const approvals: SeedApproval[] = [];
  let status: SeedChange['status'] = 'deployed';
  let traits = draft.traits;

  // Review: an occasional rejection, mostly followed by a second revision.
  let revAt = createdAt;
  const rejectP = spec.bypass ? 0 : draft.traits.destructive ? 0.25 : draft.traits.removesGuard ? 0.15 : 0.05;
  if (rng.chance(rejectP)) {
    const [rejecter] = pickApprovers(rng, svc, exclude, 1, author.handle);
    if (rejecter) {
      const at = addMinutes(revAt, rng.logMinutes(10, 90));
      approvals.push({ person: rejecter.handle, decision: 'reject', comment: rejectComment(rng, draft), at, revision: 0 });
      if (rng.chance(0.3)) {
        status = 'rejected';
      } else {
        revAt = addMinutes(at, rng.logMinutes(15, 90));
        revisions.push({ diff: renderDiff([...draft.files, followUpFile(draft, svc)]), terraformPlan: draft.plan, createdAt: revAt });
        if (draft.kind === 'code') traits = { ...traits, testsTouched: true };
      }
    }
  }

  let lastApproval = revAt;
  if (status !== 'rejected') {
    let count = tier === 1 ? (rng.chance(0.94) ? 2 : 1) : tier === 2 ? (rng.chance(0.8) ? 1 : 2) : rng.chance(0.4) ? 0 : 1;
    if (author.isBot) count = Math.max(count, 1);
    if (traits.destructive && !spec.bypass) count = Math.max(count, 2);
    if (spec.bypass) count = rng.chance(0.5) ? 0 : 1;
    const revision = revisions.length - 1;
    let t = revAt;
    for (const p of pickApprovers(rng, svc, exclude, count, author.handle)) {
      const stamp = rng.chance(RUBBER_STAMPERS[p.handle] ?? 0);
      t = addMinutes(t, stamp ? rng.int(1, 3) : rng.logMinutes(approvals.length > 0 ? 4 : 6, 150));
      approvals.push({ person: p.handle, decision: 'approve', comment: approveComment(rng, stamp, draft), at: t, revision });
    }
    lastApproval = t;
  }

  const deployments: SeedDeployment[] = [];
  let incident: Omit<SeedIncident, 'externalId'> | null = null;
  if (status !== 'rejected' && rng.chance(0.99)) {
    const by = author.isBot ? (coAuthors[0] ?? approvals[0]?.person ?? membersOf(svc.team)[0]?.handle ?? 'admin') : author.handle;
    const viaGate = !spec.bypass;
    let at = addMinutes(lastApproval, rng.logMinutes(4, 40));
    if (rng.chance(0.35) && !spec.bypass) {
      deployments.push({ environment: 'staging', status: 'succeeded', at, by, viaGate: true });
      at = addMinutes(at, rng.logMinutes(8, 60));
    }
    if (rng.chance(0.02)) {
      deployments.push({ environment: 'production', status: 'failed', at, by, viaGate });
      at = addMinutes(at, rng.int(15, 40));
    }
    deployments.push({ environment: 'production', status: 'succeeded', at, by, viaGate });
    const lines = countLines(draft.files);
    const p = incidentProbability({
      ai, tier, tier1Dependents: tier1Dependents.get(svc.slug) ?? 0, kind, traits, preDeploy, unfamiliar,
      fragile: profile.fragile, lines: lines.additions + lines.deletions, bypass: spec.bypass,
    });
    const causes = rng.chance(p);
    let rolledBack = false;
    if (causes) {
      const start = addMinutes(at, rng.logMinutes(3, 90));
      const end = addMinutes(start, rng.logMinutes(15, 300));
      rolledBack = rng.chance(0.7);
      if (rolledBack) deployments.push({ environment: 'production', status: 'rolled_back', at: addMinutes(start, Math.max(5, Math.round((end.getTime() - start.getTime()) / 60000 * 0.6))), by, viaGate: true });
      const severity = tier === 1 ? rng.weighted([[2, 45], [3, 40], [4, 15]] as const) : tier === 2 ? rng.weighted([[2, 12], [3, 50], [4, 38]] as const) : rng.weighted([[3, 40], [4, 60]] as const);
      const text = incidentText(rng, svc, { externalId: spec.id, title }, draft, { start, end, rolledBack }, ai);
      const lostOrders = tier === 1 && severity <= 3 ? (severity === 2 ? rng.int(2_000, 30_000) : rng.int(100, 3_000)) : null;
      const affected = [svc.slug, ...dependentsOf(svc.slug).filter((d) => d.tier === 1).slice(0, rng.int(0, 2)).map((d) => d.slug)];
      incident = {
        title: text.title, severity, startedAt: start, resolvedAt: end, services: affected, lostOrders,
        ordersDropPct: lostOrders === null ? null : severity === 2 ? rng.int(3, 15) : rng.int(1, 4),
        impact: `${capitalise(text.impact)}; ${lostOrders === null ? 'no measurable order loss' : `an estimated ${lostOrders.toLocaleString('en-GB')} orders lost`}.`,
        summary: text.summary, lessons: text.lessons, causeChangeExternalId: spec.id,
      };
    } else if (rng.chance(0.012)) {
      rolledBack = true;
      deployments.push({ environment: 'production', status: 'rolled_back', at: addMinutes(at, rng.logMinutes(5, 60)), by, viaGate: true });
    }
    status = rolledBack ? 'rolled_back' : 'deployed';
  } else if (status !== 'rejected') {
    status = 'approved';
  }

  const change: SeedChange = {
    externalId: spec.id, repo: svc.repo, title, description: `${draft.description}${aiNote}`, author: author.handle, coAuthors,
    services: [svc.slug], kind, ai: { level: ai, tool }, environment: 'production', preDeploy, createdAt,
    revisions, approvals, deployments, status,
  };
  return { change, incident };
}

/** What the author adds after a rejection: a test for code, a rollout note otherwise. */
function followUpFile(draft: Draft, svc: SeedService) {
  if (draft.kind === 'code') {
    return added(`test/regression/${svc.slug}-review-followup.test.ts`, `
import { describe, expect, it } from 'vitest';
import { handler } from '../../src/handler';

describe('review follow-up', () => {
  it('keeps the old behaviour when the new path is disabled', async () => {
    const res = await handler({ flags: { newPath: false } });
    expect(res.status).toBe(200);
  });
});
`);
  }
  return modified('ROLLOUT.md', { oldStart: 1, section: '', lines: [
    '+## Rollout plan',
    '+',
    '+1. Apply to staging and run the smoke suite.',
    '+2. Apply to production in the Tuesday window with the owning team on the call.',
    '+3. Rollback: revert this PR and re-apply; expected under 10 minutes.',
    '+',
    ' # Changes to this repository',
  ] });
}
