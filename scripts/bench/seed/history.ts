// Two years of the organisation's change history, generated deterministically: every change with
// its revisions, sign-offs, gate decisions and deployments, the incidents some of them caused, and
// the precomputed columns (risk, blast radius, required approvals) the app would have stored.
//
// Order of work, so each change is assessed with the context of its own day:
//   1. skeletons: when, which service, who, what draft, how review went (no scores yet);
//   2. which changes cause an incident: exactly the wanted count, drawn in proportion to a
//      logistic model of their real risk factors (the demo's model), plus external incidents;
//   3. in creation order: assess every revision with the pure engine (incidents of the previous
//      90 days on the touched services, the author's deployed changes on them, the blast radius),
//      then sign-offs, gate decisions, deployments and the incident's start time;
//   4. blocked gate calls (pipelines polling while waiting for approval) fill the audit trail up to
//      exactly the wanted number of events.
import type { AiLevel, ChangeKind, RiskLevel, Tier } from '@/db/schema/enums';
import { approveComment, ASSISTED_TOOLS, GENERATED_TOOLS, rejectComment } from '@/db/seed/templates/reviews';
import { externalCauseText, incidentText } from '@/db/seed/templates/incident-text';
import { Rng } from '@/db/seed/templates/random';
import type { SeedService } from '@/db/seed/types';
import { buildServiceGraph, computeBlastRadius, type ServiceGraph } from '@/lib/graph/blast-radius';
import { DEFAULT_POLICY } from '@/lib/policy';
import { requiredApprovals, type Requirement } from '@/lib/policy/approvals';
import { scoreChange } from '@/lib/risk';
import type { BlastRadius, GraphService, RiskInput } from '@/lib/risk/types';
import type { GenOrg, GenPerson, GenService } from './org';
import { DraftPool, type PoolContent, type PoolDraft } from './pool';
import { CLOSED_BLAST_KEEP, type Scale } from './scale';
import { AGENT_BOTS } from './vocabulary';

const MIN = 60_000;
const DAY = 86_400_000;
const INCIDENT_WINDOW = 90 * DAY;

export interface GenRevision { id: number; number: number; at: number; content: PoolContent; score: number; level: RiskLevel; factorsJson: string }
export interface GenApproval { id: number; personId: number; decision: 'approve' | 'reject'; comment: string; at: number; revIdx: number }
export interface GenDeployment { id: number; environment: string; status: 'succeeded' | 'failed' | 'rolled_back'; at: number; byId: number | null; gateId: number | null; bypass: boolean }
export interface GenGate { id: number; change: GenChange; revIdx: number; at: number; environment: string; allowed: boolean; reasons: string[]; required: number; valid: number; actorId: number | null }
export interface GenIncident {
  id: number; externalId: string; title: string; severity: 1 | 2 | 3 | 4; startedAt: number; resolvedAt: number;
  cause: GenChange | null; lostOrders: number | null; ordersDropPct: number | null; impact: string; summary: string; lessons: string; serviceIds: number[];
}
export interface GenWatchout { id: number; authorId: number; scope: 'service' | 'path' | 'config_key'; serviceId: number | null; pattern: string | null; text: string; at: number }
export interface GenAttestation { id: number; isoWeek: string; personId: number; note: string; at: number }

export interface GenChange {
  id: number;
  externalId: string;
  repo: string;
  title: string;
  description: string;
  author: GenPerson;
  coauthorIds: number[];
  services: GenService[];
  kind: ChangeKind;
  aiLevel: AiLevel;
  aiTool: string | null;
  preDeploy: boolean | null;
  /** Where it goes: production for most; staging or QA for changes tried out before production. */
  environment: string;
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
  status: 'pending' | 'approved' | 'rejected' | 'deployed' | 'rolled_back';
  draft: PoolDraft;
  revisions: GenRevision[];
  approvals: GenApproval[];
  deployments: GenDeployment[];
  gates: GenGate[];
  riskScore: number;
  riskLevel: RiskLevel;
  factorsJson: string;
  destructive: boolean;
  blastJson: string;
  blastTotal: number;
  blastTier1: number;
  topTier: Tier;
  required: number;
  valid: number;
  // Generation state.
  open: boolean;
  rejectedFinal: boolean;
  revisedAfterReject: boolean;
  bypass: boolean;
  unfamiliar: boolean;
  causes: boolean;
  z: number;
  effectiveTier: Tier;
}

export interface History {
  changes: GenChange[];
  incidents: GenIncident[];
  gates: GenGate[];
  watchouts: GenWatchout[];
  attestations: GenAttestation[];
  /** Natural audit events before pipeline polls were added, and the polls added. */
  naturalEvents: number;
  polls: number;
  from: number;
  until: number;
  counts: { revisions: number; revisionFiles: number; approvals: number; deployments: number; gateDecisions: number };
}

interface BlastInfo { full: BlastRadius; json: string; closedJson: string; nearestTier1Depth: number | null }

const serviceAsSeed = (s: GenService, slug = s.slug): SeedService => ({
  slug, name: s.name, tier: s.tier, team: s.team, system: s.system, description: '', repo: s.repo, entityKind: 'Component', type: 'service', dependsOn: [],
});

function isFreeze(d: Date): boolean {
  const m = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  if ((m === 12 && day >= 22) || (m === 1 && day <= 2)) return true;
  if (m === 11) {
    const firstDow = new Date(Date.UTC(d.getUTCFullYear(), 10, 1)).getUTCDay();
    const blackFriday = 1 + ((5 - firstDow + 7) % 7) + 21;
    return day >= blackFriday - 4 && day <= blackFriday + 3;
  }
  return false;
}

/** p(incident) from a change's real risk factors (the demo's logistic model; size a weak term). */
function incidentLogit(c: { aiLevel: AiLevel; tier: number; tier1Dependents: number; kind: ChangeKind; draft: PoolDraft; preDeploy: boolean | null; unfamiliar: boolean; bypass: boolean }): number {
  const t = c.draft.traits;
  let z = 0;
  z += { none: 0, assisted: 0.6, generated: 1.0, agent: 1.4 }[c.aiLevel];
  z += c.tier === 1 ? 0.7 : c.tier === 2 ? 0.2 : -0.8;
  z += 0.07 * Math.min(c.tier1Dependents, 15);
  z += { code: 0, config: 0.9, infra: 0.7, schema: 0.5 }[c.kind];
  if (t.destructive) z += 1.8;
  if (t.removesGuard) z += 1.3;
  if (c.preDeploy === false) z += 1.1;
  else if (c.preDeploy === null) z += 0.4;
  if (c.kind === 'code' && !t.testsTouched && !t.docsOnly) z += 0.5;
  if (t.docsOnly) z -= 2.5;
  if (c.unfamiliar) z += 0.4;
  if (c.bypass) z += 0.6;
  z += 0.1 * Math.log1p(c.draft.content.lines / 25);
  return z;
}

const isoWeekOf = (ms: number): string => {
  const d = new Date(ms);
  const day = (d.getUTCDay() + 6) % 7;
  const thursday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3));
  const firstThursday = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 4));
  const week = 1 + Math.round((thursday.getTime() - firstThursday.getTime()) / (7 * DAY) - ((firstThursday.getUTCDay() + 6) % 7 - 3) / 7);
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
};

export interface HistoryOptions {
  scale: Scale;
  seed: number;
  until: Date;
  org: GenOrg;
  pool: DraftPool;
  onProgress?: (phase: string, done: number, total: number) => void;
  /** Audit events wanted (default: the scale's); null leaves the natural volume (for calibration). */
  auditTarget?: number | null;
}

export function generateHistory(o: HistoryOptions): History {
  const { scale, seed, org, pool } = o;
  const progress = o.onProgress ?? (() => {});
  const until = o.until.getTime();
  const from = until - scale.days * DAY;
  const graph: ServiceGraph = buildServiceGraph({ services: org.services.map((s) => ({ id: s.id, slug: s.slug, tier: s.tier, team: s.team })), edges: org.edges });
  const byId = new Map(org.services.map((s) => [s.id, s]));
  const dependsOn = new Map<number, number[]>();
  for (const e of org.edges) dependsOn.set(e.serviceId, [...(dependsOn.get(e.serviceId) ?? []), e.dependsOnId]);
  const teamServices = new Map<string, GenService[]>();
  for (const s of org.services) teamServices.set(s.team, [...(teamServices.get(s.team) ?? []), s]);
  const seniorsBySystem = new Map<string, GenPerson[]>();
  const teamSystem = new Map(org.teams.map((t) => [t.slug, t.system]));
  for (const p of org.allSeniors) {
    const sys = teamSystem.get(p.team ?? '') ?? 'platform';
    seniorsBySystem.set(sys, [...(seniorsBySystem.get(sys) ?? []), p]);
  }
  const humansAll = org.people.filter((p) => !p.isBot && (p.role === 'engineer' || p.role === 'senior'));
  const rubberStampers = new Set(org.allSeniors.filter((_, i) => i % 23 === 5).map((p) => p.id));

  // Blast radius per set of touched services: the catalog does not change during the history.
  const blastCache = new Map<string, BlastInfo>();
  const blastOf = (ids: number[]): BlastInfo => {
    const key = ids.join(',');
    let b = blastCache.get(key);
    if (!b) {
      const full = computeBlastRadius(graph, ids);
      const nearest = full.services.find((s) => s.tier === 1);
      b = {
        full,
        json: JSON.stringify(full),
        closedJson: full.services.length > CLOSED_BLAST_KEEP ? JSON.stringify({ ...full, services: full.services.slice(0, CLOSED_BLAST_KEEP) }) : '',
        nearestTier1Depth: nearest ? nearest.depth : null,
      };
      if (!b.closedJson) b.closedJson = b.json;
      blastCache.set(key, b);
    }
    return b;
  };

  // ---- 1. Skeletons ------------------------------------------------------------------------
  const dayWeights: number[] = [];
  for (let d = 0; d < scale.days; d++) {
    const date = new Date(from + d * DAY);
    const dow = date.getUTCDay();
    let w = dow === 0 || dow === 6 ? 0.12 : 1;
    if (isFreeze(date)) w *= 0.25;
    w *= 0.75 + (0.5 * d) / scale.days; // the organisation grows
    dayWeights.push(w);
  }
  const wSum = dayWeights.reduce((a, b) => a + b, 0);
  const perDay = dayWeights.map((w) => Math.floor((w / wSum) * scale.changes));
  const remainders = dayWeights.map((w, d) => [d, (w / wSum) * scale.changes - perDay[d]!] as const).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  for (let k = 0, left = scale.changes - perDay.reduce((a, b) => a + b, 0); k < left; k++) perDay[remainders[k]![0]]!++;

  const activitySum = org.services.reduce((a, s) => a + s.activity, 0);
  const cumulative = new Float64Array(org.services.length);
  org.services.reduce((acc, s, i) => (cumulative[i] = acc + s.activity / activitySum), 0);
  const pickService = (r: Rng): GenService => {
    const x = r.next();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return org.services[lo]!;
  };
  const prCounter = new Map<string, number>();

  // The benchmark opens a change on the most depended-on services: the open queue always has some.
  const hubs = org.services.filter((s) => s.layer === 0).map((s) => [s, blastOf([s.id]).full.total] as const).sort((a, b) => b[1] - a[1] || a[0].id - b[0].id).slice(0, 5).map(([s]) => s);
  const changes: GenChange[] = [];
  for (let d = 0; d < scale.days; d++) {
    const dayStart = from + d * DAY;
    const weekend = [0, 6].includes(new Date(dayStart).getUTCDay());
    const times: number[] = [];
    for (let i = 0; i < perDay[d]!; i++) {
      const r = Rng.for('bench-time', seed, d, i);
      const hour = weekend ? 9 + r.next() * 9 : 7 + (r.next() + r.next() + r.next()) / 3 * 12;
      times.push(dayStart + Math.floor(hour * 60) * MIN + r.int(0, 59) * 1000);
    }
    times.sort((a, b) => a - b);
    const last = d === scale.days - 1;
    for (let i = 0; i < times.length; i++) changes.push(skeleton(Rng.for('bench-change', seed, d, i), times[i]!, d, last ? hubs[i] : undefined));
    progress('changes', changes.length, scale.changes);
  }

  function skeleton(r: Rng, createdAt: number, day: number, hub?: GenService): GenChange {
    const svc = hub ?? pickService(r);
    const services = [svc];
    if (r.chance(0.08)) {
      const siblings = [...(dependsOn.get(svc.id) ?? []).map((id) => byId.get(id)!).filter((s) => s.team === svc.team), ...(teamServices.get(svc.team) ?? [])].filter((s) => s.id !== svc.id);
      if (siblings.length) services.push(r.pick(siblings));
      if (siblings.length > 1 && r.chance(0.15)) {
        const third = r.pick(siblings);
        if (!services.includes(third)) services.push(third);
      }
    }
    services.sort((a, b) => a.id - b.id);
    const profile = pool.profile(svc.archetype);
    const ramp = day / scale.days;
    const depBot = profile.lang !== 'hcl' && r.chance(0.05);
    let aiLevel: AiLevel = 'none';
    if (!depBot && r.chance(0.2 + 0.3 * ramp)) {
      const agentShare = 0.08 + 0.12 * ramp;
      aiLevel = r.weighted([['assisted', 0.6 - agentShare / 2], ['generated', 0.4 - agentShare / 2], ['agent', agentShare]] as const);
    }
    const kind = depBot ? 'code' : r.weighted(profile.kinds);
    const draft = pool.pick(r, svc.archetype, kind);
    const team = org.members.get(svc.team) ?? [];
    let author: GenPerson;
    let coauthorIds: number[] = [];
    let unfamiliar = false;
    let aiTool: string | null = null;
    if (depBot) {
      author = r.pick(org.bots.dependency);
    } else if (aiLevel === 'agent') {
      author = r.pick(org.bots.agents);
      aiTool = AGENT_BOTS[author.handle] ?? null;
      const requester = team.length ? r.pick(team) : r.pick(humansAll);
      coauthorIds = [requester.id];
      unfamiliar = true;
    } else {
      if (team.length === 0 || r.chance(0.1)) {
        author = r.pick(humansAll);
        unfamiliar = author.team !== svc.team;
      } else {
        author = r.weighted(team.map((p) => [p, p.role === 'engineer' ? 1.4 : 1] as const));
      }
      if (r.chance(0.1)) {
        const mates = team.filter((p) => p.id !== author.id);
        if (mates.length) coauthorIds = [r.pick(mates).id];
      }
      if (aiLevel === 'assisted') aiTool = r.weighted(ASSISTED_TOOLS);
      if (aiLevel === 'generated') aiTool = r.weighted(GENERATED_TOOLS);
    }
    const blast = blastOf(services.map((s) => s.id));
    const topTier = Math.min(...services.map((s) => s.tier)) as Tier;
    const effectiveTier: Tier = topTier !== 1 && blast.nearestTier1Depth !== null && blast.nearestTier1Depth <= DEFAULT_POLICY.approvals.tier1BlastDepth ? 1 : topTier;
    const environment = r.chance(0.25) ? (r.chance(0.8) ? 'staging' : 'qa') : 'production';
    const bypass = environment === 'production' && r.chance(0.004);
    let preDeploy: boolean | null;
    if (bypass) preDeploy = r.chance(0.6) ? false : null;
    else if (effectiveTier === 1 && environment === 'production') preDeploy = true;
    else preDeploy = r.weighted([[true, 75], [null, 15], [false, draft.kind === 'code' ? 6 : 14]] as const);

    // Review outcome and whether it is still open at the end of the history.
    const age = (until - createdAt) / DAY;
    const openP = age < 1 ? 0.9 : age < 2 ? 0.7 : age < 4 ? 0.45 : age < 7 ? 0.25 : age < 14 ? 0.1 : age < 30 ? 0.03 : age < 90 ? 0.005 : 0;
    const open = hub !== undefined || r.chance(openP);
    const rejectP = bypass ? 0 : draft.traits.destructive ? 0.25 : draft.traits.removesGuard ? 0.15 : 0.05;
    const rejected = r.chance(rejectP);
    const rejectedFinal = rejected && !open && r.chance(0.3);
    const revisedAfterReject = rejected && !rejectedFinal;

    const repo = svc.repo;
    const pr = (prCounter.get(repo) ?? 100 + (svc.id * 37) % 900) + 1;
    prCounter.set(repo, pr);
    const title = `${svc.slug}: ${draft.title}`;
    const aiNote = aiLevel === 'agent' ? `\n\nOpened by ${aiTool} on behalf of a teammate.` : aiLevel === 'none' ? '' : `\n\nAI assistance: ${aiLevel} (${aiTool}).`;
    const c: GenChange = {
      id: 0, externalId: `${repo}#${pr}`, repo, title, description: `${draft.description}${aiNote}`, author, coauthorIds, services, kind: draft.kind, aiLevel, aiTool, preDeploy, environment,
      createdAt, updatedAt: createdAt, closedAt: null, status: open ? 'pending' : rejectedFinal ? 'rejected' : 'deployed', draft,
      revisions: [], approvals: [], deployments: [], gates: [],
      riskScore: 0, riskLevel: 'low', factorsJson: '[]', destructive: false, blastJson: '', blastTotal: blast.full.total, blastTier1: blast.full.tier1, topTier, required: 0, valid: 0,
      open, rejectedFinal, revisedAfterReject, bypass, unfamiliar, causes: false, z: 0, effectiveTier,
    };
    c.z = incidentLogit({ aiLevel, tier: topTier, tier1Dependents: blast.full.tier1, kind: draft.kind, draft, preDeploy, unfamiliar, bypass });
    return c;
  }
  changes.forEach((c, i) => (c.id = i + 1));

  // ---- 2. Which changes cause incidents ------------------------------------------------------
  const causedCount = Math.round(scale.incidents * 0.7);
  const eligible = changes.filter((c) => c.status === 'deployed');
  // Calibrate the intercept so the expected count is right, then draw exactly that many
  // (weighted sampling without replacement: key = u^(1/p), keep the largest).
  let lo = -20;
  let hi = 5;
  for (let k = 0; k < 60; k++) {
    const mid = (lo + hi) / 2;
    const expected = eligible.reduce((a, c) => a + 1 / (1 + Math.exp(-(c.z + mid))), 0);
    if (expected < causedCount) lo = mid;
    else hi = mid;
  }
  const keys = eligible.map((c) => {
    const p = 1 / (1 + Math.exp(-(c.z + lo)));
    return [c, Math.log(Rng.for('bench-cause', seed, c.id).next() || 1e-12) / p] as const;
  });
  keys.sort((a, b) => b[1] - a[1] || a[0].id - b[0].id);
  for (let k = 0; k < Math.min(causedCount, keys.length); k++) keys[k]![0].causes = true;

  const incidents: GenIncident[] = [];
  const incidentsByService = new Map<number, GenIncident[]>();
  const addIncident = (i: GenIncident) => {
    incidents.push(i);
    for (const s of i.serviceIds) incidentsByService.set(s, [...(incidentsByService.get(s) ?? []), i]);
  };
  const externalCount = scale.incidents - Math.min(causedCount, keys.length);
  const critical = org.services.filter((s) => s.tier <= 2);
  for (let k = 0; k < externalCount; k++) {
    const r = Rng.for('bench-external-incident', seed, k);
    const svc = critical[Math.floor(r.next() * critical.length)]!;
    const start = from + Math.floor(r.next() * (until - from - DAY));
    const t = externalCauseText(r, serviceAsSeed(svc));
    addIncident({
      id: 0, externalId: '', title: t.title, severity: r.pick([3, 4] as const), startedAt: start, resolvedAt: start + r.logMinutes(20, 240) * MIN, cause: null,
      lostOrders: null, ordersDropPct: null, impact: t.impact, summary: t.summary, lessons: t.lessons, serviceIds: [svc.id],
    });
  }

  // ---- 3. Assess, sign off, deploy, in creation order -----------------------------------------
  const priorDeployed = new Map<string, number>();
  let revisionId = 0;
  let approvalId = 0;
  let deploymentId = 0;
  const gates: GenGate[] = [];
  const addGate = (g: Omit<GenGate, 'id'>): GenGate => {
    const gate = { ...g, id: gates.length + 1 };
    gates.push(gate);
    g.change.gates.push(gate);
    return gate;
  };
  const policy = DEFAULT_POLICY.approvals;

  const recentIncidents = (c: GenChange, at: number): RiskInput['recentIncidents'] => {
    const seen = new Set<GenIncident>();
    const out: RiskInput['recentIncidents'] = [];
    for (const s of c.services) {
      for (const i of incidentsByService.get(s.id) ?? []) {
        if (i.startedAt >= at || i.startedAt < at - INCIDENT_WINDOW || seen.has(i)) continue;
        seen.add(i);
        out.push({
          severity: i.severity, title: i.title, startedAt: new Date(i.startedAt), serviceSlugs: i.serviceIds.map((id) => byId.get(id)!.slug),
          causedByPaths: i.cause ? i.cause.revisions.at(-1)!.content.files.map((f) => f.path) : undefined,
        });
      }
    }
    return out;
  };

  const approversFor = (c: GenChange, r: Rng, count: number, minLevel: number): GenPerson[] => {
    const exclude = new Set([c.author.id, ...c.coauthorIds]);
    const ok = (p: GenPerson) => !exclude.has(p.id) && (p.level ?? 0) >= minLevel && !chosen.includes(p);
    const chosen: GenPerson[] = [];
    const svc = c.services[0]!;
    const pools = [org.seniors.get(svc.team) ?? [], seniorsBySystem.get(svc.system) ?? [], org.allSeniors];
    for (const list of pools) {
      while (chosen.length < count) {
        const candidates = list.filter(ok);
        if (!candidates.length) break;
        chosen.push(r.weighted(candidates.map((p) => [p, rubberStampers.has(p.id) ? 1.6 : 1] as const)));
      }
    }
    return chosen;
  };

  for (let idx = 0; idx < changes.length; idx++) {
    const c = changes[idx]!;
    const r = Rng.for('bench-review', seed, c.id);
    const blast = blastOf(c.services.map((s) => s.id));
    const touched: GraphService[] = c.services.map((s) => ({ id: s.id, slug: s.slug, tier: s.tier, team: s.team }));
    const prior = Math.max(0, ...c.services.map((s) => priorDeployed.get(`${c.author.id}|${s.id}`) ?? 0));

    // Revisions: the draft, and after a rejection (usually) the draft with a follow-up.
    const contents = [c.draft.content];
    const revTimes = [c.createdAt];
    let rejectAt = 0;
    let rejecter: GenPerson | undefined;
    if (c.revisedAfterReject || c.rejectedFinal) {
      rejecter = approversFor(c, r, 1, 5)[0];
      rejectAt = c.createdAt + r.logMinutes(10, 90) * MIN;
      if (c.revisedAfterReject && rejecter) {
        contents.push(pool.revisedOf(c.draft));
        revTimes.push(rejectAt + r.logMinutes(15, 90) * MIN);
      }
    }
    let req: Requirement | null = null;
    contents.forEach((content, i) => {
      const at = revTimes[i]!;
      const risk = scoreChange({
        kind: c.kind, aiLevel: c.aiLevel, aiTool: c.aiTool, environment: c.environment, preDeployValidation: c.preDeploy,
        files: content.files, plan: content.plan, services: touched, blastRadius: blast.full,
        recentIncidents: recentIncidents(c, at), authorPriorChanges: prior, authorIsBot: c.author.isBot, findings: content.findings,
      });
      c.revisions.push({ id: ++revisionId, number: i + 1, at, content, score: risk.score, level: risk.level, factorsJson: JSON.stringify(risk.factors) });
      req = requiredApprovals({
        environment: c.environment, topTier: c.topTier, nearestTier1Depth: blast.nearestTier1Depth, riskLevel: risk.level, destructive: risk.destructive,
        aiLevel: c.aiLevel, authorIsBot: c.author.isBot, preDeployValidation: c.preDeploy,
      }, policy);
      c.riskScore = risk.score;
      c.riskLevel = risk.level;
      c.factorsJson = JSON.stringify(risk.factors);
      c.destructive = risk.destructive;
    });
    const requirement = req!;
    c.required = requirement.required;
    const lastIdx = c.revisions.length - 1;
    const lastRevAt = c.revisions[lastIdx]!.at;
    if (rejecter) {
      c.approvals.push({ id: ++approvalId, personId: rejecter.id, decision: 'reject', comment: rejectComment(r, c.draft.draft), at: rejectAt, revIdx: 0 });
    }

    // Sign-offs on the last revision.
    if (!c.rejectedFinal) {
      let count = requirement.required;
      if (c.bypass) count = Math.min(count, r.chance(0.5) ? 0 : 1);
      if (c.open) {
        // Still waiting: some have all they need (approved, not yet deployed), most have fewer.
        if (requirement.required > 0 && r.chance(0.2)) c.status = 'approved';
        else count = requirement.required > 0 ? r.int(0, requirement.required - 1) : 0;
      }
      let t = lastRevAt;
      for (const p of approversFor(c, r, count, requirement.minLevel)) {
        const stamp = rubberStampers.has(p.id) && r.chance(0.8);
        t += (stamp ? r.int(1, 3) : r.logMinutes(c.approvals.length > 0 ? 4 : 6, 150)) * MIN;
        if (c.open && t >= until) t = until - r.int(1, 60) * MIN;
        c.approvals.push({ id: ++approvalId, personId: p.id, decision: 'approve', comment: approveComment(r, stamp, c.draft.draft), at: t, revIdx: lastIdx });
      }
      c.valid = c.approvals.filter((a) => a.revIdx === lastIdx && a.decision === 'approve').length;
      if (c.open && c.status === 'approved' && c.valid < requirement.required) c.status = 'pending';
    } else {
      c.valid = 0;
    }
    const lastApproval = Math.max(lastRevAt, ...c.approvals.map((a) => a.at));
    c.updatedAt = lastApproval;

    // Deployments through the gate (or around it), and the incident this change causes.
    if (c.status === 'deployed') {
      const by = c.author.isBot ? (c.coauthorIds[0] ?? c.approvals[0]?.personId ?? null) : c.author.id;
      let at = lastApproval + r.logMinutes(4, 40) * MIN;
      const deployOnce = (status: GenDeployment['status'], when: number) => {
        let gateId: number | null = null;
        if (!c.bypass) {
          gateId = addGate({
            change: c, revIdx: lastIdx, at: when - 3 * MIN, environment: c.environment, allowed: true,
            reasons: [c.required ? 'approved' : 'no_approval_required'], required: c.required, valid: c.valid, actorId: by,
          }).id;
        }
        c.deployments.push({ id: ++deploymentId, environment: c.environment, status, at: when, byId: by, gateId, bypass: c.bypass });
      };
      if (r.chance(0.02)) {
        deployOnce('failed', at);
        at += r.int(15, 40) * MIN;
      }
      deployOnce('succeeded', at);
      c.closedAt = at;
      c.updatedAt = at;
      let rolledBack = false;
      if (c.causes) {
        const start = at + r.logMinutes(3, 90) * MIN;
        const end = start + r.logMinutes(15, 300) * MIN;
        rolledBack = r.chance(0.7);
        if (rolledBack) c.deployments.push({ id: ++deploymentId, environment: c.environment, status: 'rolled_back', at: start + Math.max(5 * MIN, Math.round((end - start) * 0.6)), byId: by, gateId: null, bypass: false });
        const svc = c.services[0]!;
        const severity = svc.tier === 1 ? r.weighted([[1, 3], [2, 42], [3, 40], [4, 15]] as const) : svc.tier === 2 ? r.weighted([[2, 12], [3, 50], [4, 38]] as const) : r.weighted([[3, 40], [4, 60]] as const);
        const text = incidentText(r, serviceAsSeed(svc, svc.archetype), { externalId: c.externalId, title: c.title }, c.draft.draft, { start: new Date(start), end: new Date(end), rolledBack }, c.aiLevel);
        const lostOrders = svc.tier === 1 && severity <= 3 ? (severity <= 2 ? r.int(2_000, 30_000) : r.int(100, 3_000)) : null;
        const dependents = blast.full.services.filter((s) => s.depth === 1 && s.tier === 1).slice(0, r.int(0, 2)).map((s) => graph.services[graph.indexBySlug.get(s.slug)!]!.id);
        addIncident({
          id: 0, externalId: '', title: text.title.replace(svc.archetype, svc.slug), severity, startedAt: start, resolvedAt: end, cause: c, lostOrders,
          ordersDropPct: lostOrders === null ? null : severity <= 2 ? r.int(3, 15) : r.int(1, 4),
          impact: `${text.impact.charAt(0).toUpperCase()}${text.impact.slice(1)}; ${lostOrders === null ? 'no measurable order loss' : `an estimated ${lostOrders.toLocaleString('en-GB')} orders lost`}.`,
          summary: text.summary, lessons: text.lessons, serviceIds: [...new Set([svc.id, ...dependents])],
        });
      } else if (r.chance(0.01)) {
        rolledBack = true;
        c.deployments.push({ id: ++deploymentId, environment: c.environment, status: 'rolled_back', at: at + r.logMinutes(5, 60) * MIN, byId: by, gateId: null, bypass: false });
      }
      if (rolledBack) {
        c.status = 'rolled_back';
        c.updatedAt = c.deployments.at(-1)!.at;
      }
      for (const s of c.services) priorDeployed.set(`${c.author.id}|${s.id}`, (priorDeployed.get(`${c.author.id}|${s.id}`) ?? 0) + 1);
    } else if (c.status === 'rejected') {
      c.closedAt = rejectAt;
      c.updatedAt = rejectAt;
    }
    c.blastJson = c.status === 'pending' || c.status === 'approved' ? blast.json : blast.closedJson;
    if (idx % 2000 === 0 || idx === changes.length - 1) progress('assess', idx + 1, changes.length);
  }

  incidents.sort((a, b) => a.startedAt - b.startedAt);
  incidents.forEach((i, k) => {
    i.id = k + 1;
    const d = new Date(i.startedAt);
    i.externalId = `INC-${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}-${String(k + 1).padStart(5, '0')}`;
  });

  // Watch-outs and weekly attestations: institutional memory and leadership's sign-off.
  const watchouts = generateWatchouts(seed, scale, org, from, until);
  const attestations: GenAttestation[] = [];
  const directors = org.people.filter((p) => p.role === 'director' || p.role === 'vp');
  for (let t = from + ((8 - new Date(from).getUTCDay()) % 7) * DAY + 7 * DAY; t < until; t += 7 * DAY) {
    const r = Rng.for('bench-attest', seed, t);
    const week = isoWeekOf(t - 3 * DAY);
    const who = new Set<GenPerson>([r.pick(directors), r.pick(directors)]);
    for (const p of who) attestations.push({ id: attestations.length + 1, isoWeek: week, personId: p.id, note: r.pick(['Reviewed with the leads.', 'Discussed in the Monday review.', 'Reviewed; follow-ups assigned.', '']), at: t + 10 * 60 * MIN + r.int(0, 300) * MIN });
  }

  // ---- 4. Audit volume: natural events, then pipelines polling the gate while they wait -------
  let natural = 2 + incidents.length + watchouts.length + attestations.length;
  for (const c of changes) natural += c.revisions.length + c.approvals.length + c.gates.length + c.deployments.length;
  const target = o.auditTarget === undefined ? scale.auditEvents : o.auditTarget;
  const polls = target === null ? 0 : target - natural;
  if (polls < 0) {
    const sum = (f: (c: GenChange) => number) => changes.reduce((n, c) => n + f(c), 0);
    throw new Error(`the generated history already has ${natural} audit events, more than the ${target} wanted (revisions ${sum((c) => c.revisions.length)}, ` +
      `approvals ${sum((c) => c.approvals.length)}, gate decisions ${sum((c) => c.gates.length)}, deployments ${sum((c) => c.deployments.length)}, incidents ${incidents.length}, ` +
      `watch-outs ${watchouts.length}, attestations ${attestations.length})`);
  }
  const waiting = changes.filter((c) => c.required > 0 && !c.rejectedFinal && !c.bypass);
  const windowOf = (c: GenChange) => {
    const start = c.revisions.at(-1)!.at;
    const lastApproval = c.approvals.filter((a) => a.decision === 'approve').reduce((m, a) => Math.max(m, a.at), 0);
    const end = c.open && c.valid < c.required ? until : lastApproval;
    return [start, end] as const;
  };
  const weights = waiting.map((c) => {
    const [s, e] = windowOf(c);
    return Math.max(0, Math.min(e - s, 3 * DAY));
  });
  const weightSum = weights.reduce((a, b) => a + b, 0);
  if (polls > 0 && weightSum <= 0) throw new Error('no change waits for approval: cannot place pipeline polls');
  // Largest remainder over the waiting changes, so exactly `polls` are placed.
  const share = weights.map((w) => (w / weightSum) * polls);
  const base = share.map(Math.floor);
  let placed = base.reduce((a, b) => a + b, 0);
  const order = share.map((s, i) => [i, s - base[i]!] as const).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  for (let k = 0; placed < polls; k++, placed++) base[order[k % order.length]![0]]!++;
  waiting.forEach((c, i) => {
    const n = base[i]!;
    if (!n) return;
    const r = Rng.for('bench-poll', seed, c.id);
    const [s, e] = windowOf(c);
    const lastIdx = c.revisions.length - 1;
    const approvesAt = c.approvals.filter((a) => a.decision === 'approve' && a.revIdx === lastIdx).map((a) => a.at).sort((a, b) => a - b);
    const by = c.author.isBot ? (c.coauthorIds[0] ?? null) : c.author.id;
    const times = Array.from({ length: n }, () => s + Math.floor(r.next() * Math.max(1, e - s - MIN))).sort((a, b) => a - b);
    for (const t of times) {
      const valid = approvesAt.filter((a) => a <= t).length;
      const reasons = valid >= c.required ? ['approved'] : ['approvals_missing'];
      addGate({ change: c, revIdx: lastIdx, at: t, environment: c.environment, allowed: valid >= c.required, reasons, required: c.required, valid: Math.min(valid, c.required), actorId: by });
    }
  });

  let revisionFiles = 0;
  let approvals = 0;
  let deployments = 0;
  for (const c of changes) {
    for (const rv of c.revisions) revisionFiles += rv.content.files.length;
    approvals += c.approvals.length;
    deployments += c.deployments.length;
  }
  return {
    changes, incidents, gates, watchouts, attestations, naturalEvents: natural, polls, from, until,
    counts: { revisions: revisionId, revisionFiles, approvals, deployments, gateDecisions: gates.length },
  };
}

const WATCHOUT_TEXT = {
  service: [
    'Restarts take 6–8 minutes to warm the cache; never roll all pods at once.',
    'The nightly batch at 02:00 UTC holds locks on the main tables: no schema changes between 01:30 and 03:30.',
    'Its client library retries on every 5xx with no jitter: a slow dependency here becomes a retry storm downstream.',
    'The on-call runbook is out of date for the EU region; page the owning team directly.',
    'Depends on a legacy box in the corner of the DC (see the wiki) that nobody else knows how to restart.',
    'Peak is Sunday evening, not Saturday: plan capacity changes accordingly.',
  ],
  path: [
    'Migrations here run inside the deploy: anything that rewrites a large table blocks the release train.',
    'Files under this path are generated; edits are overwritten by the next build.',
    'Terraform here manages stateful resources: read the plan for replace actions, not only the diff.',
    'This module is shared by web and app: test both before approving.',
  ],
  config_key: [
    'Lowering this below its current value caused the outage in the incident log; talk to the owners first.',
    'Every service reads this at start-up: a bad value takes everything down at the next deploy.',
    'Changes to this key must go through a canary ring; there is no automatic rollback.',
  ],
};
const PATH_GLOBS = ['**/migrations/**', 'terraform/**', 'infra/**/*.tf', 'src/**/config/**', 'helm/**/values*.yaml', '**/*.sql', 'scripts/cleanup/**', 'src/**/client*.ts', 'deploy/**'];

function generateWatchouts(seed: number, scale: Scale, org: GenOrg, from: number, until: number): GenWatchout[] {
  const out: GenWatchout[] = [];
  const keys = ['http.client.timeout_ms', 'retry.max_attempts', 'db.pool.max_connections', 'circuit_breaker.error_threshold_pct', 'checkout.timeout_ms', 'inventory.reservation.ttl_s', 'payments.auth.timeout_ms', 'edge.rate_limit.rps'];
  for (let k = 0; k < scale.watchouts; k++) {
    const r = Rng.for('bench-watchout', seed, k);
    const author = r.pick(org.allSeniors);
    const scope = r.weighted([['service', 60], ['path', 25], ['config_key', 15]] as const);
    const teamSvcs = org.services.filter((s) => s.team === author.team);
    const svc = teamSvcs.length ? r.pick(teamSvcs) : r.pick(org.services);
    out.push({
      id: k + 1,
      authorId: author.id,
      scope,
      serviceId: scope === 'service' ? svc.id : null,
      pattern: scope === 'path' ? r.pick(PATH_GLOBS) : scope === 'config_key' ? r.pick(keys) : null,
      text: r.pick(WATCHOUT_TEXT[scope]),
      at: from + Math.floor(r.next() * (until - from)),
    });
  }
  return out;
}
