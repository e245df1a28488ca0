// The generated organisation: teams, a layered service catalog (foundation → platform →
// domain core → experience → batch) whose dependencies point only downwards (a DAG) with a
// few hub services almost everything reaches, and the people in the teams.
import { Rng } from '@/db/seed/templates/random';
import type { Role, Tier } from '@/db/schema/enums';
import type { Scale } from './scale';
import { AGENT_BOTS, DEPENDENCY_BOTS, DOMAINS, FIRST_NAMES, FOUNDATION, FOUNDATION_TEAMS, LAST_NAMES, VARIANTS } from './vocabulary';

export interface GenTeam { slug: string; name: string; description: string; system: string }

export interface GenService {
  id: number;
  slug: string;
  name: string;
  tier: Tier;
  team: string;
  system: string;
  layer: number;
  archetype: string;
  repo: string;
  /** Relative share of the organisation's changes. */
  activity: number;
}

export interface GenPerson {
  id: number;
  handle: string;
  name: string;
  title: string;
  email: string | null;
  level: number | null;
  role: Role;
  team: string | null;
  isBot: boolean;
  githubLogin: string | null;
}

export interface GenOrg {
  teams: GenTeam[];
  services: GenService[];
  edges: { serviceId: number; dependsOnId: number }[];
  people: GenPerson[];
  /** Team slug → its members (humans), engineers and seniors. */
  members: Map<string, GenPerson[]>;
  seniors: Map<string, GenPerson[]>;
  /** Seniors of every team, for cross-team reviews. */
  allSeniors: GenPerson[];
  bots: { agents: GenPerson[]; dependency: GenPerson[] };
}

const title = (slug: string) => slug.split('-').map((w) => (w.length <= 3 && w !== 'app' && w !== 'web' ? w.toUpperCase() : w[0]!.toUpperCase() + w.slice(1))).join(' ');

/** Layer sizes as shares of the catalog (foundation first). */
function layerSizes(total: number, foundation: number): number[] {
  const rest = total - foundation;
  const l1 = Math.round(rest * 0.073);
  const l2 = Math.round(rest * 0.323);
  const l3 = Math.round(rest * 0.383);
  return [foundation, l1, l2, l3, rest - l1 - l2 - l3];
}

const TIER_SHARES: [Tier, number][][] = [
  [[1, 80], [2, 20], [3, 0]],
  [[1, 30], [2, 45], [3, 25]],
  [[1, 12], [2, 43], [3, 45]],
  [[1, 5], [2, 35], [3, 60]],
  [[1, 2], [2, 25], [3, 73]],
];
/** Mean number of dependencies of a service, by layer. */
const DEGREE = [1.2, 3, 5, 6, 5];

export function generateOrg(scale: Scale, seed: number): GenOrg {
  const rng = Rng.for('bench-org', seed, scale.name);
  const foundationCount = Math.max(8, Math.min(FOUNDATION.length, Math.round(scale.services * 0.008)));

  // Teams: the foundation teams, then teams per domain in round robin until the count is reached.
  const teams: GenTeam[] = FOUNDATION_TEAMS.map((t) => ({ ...t, description: `${t.name}: shared infrastructure every product team depends on.`, system: 'platform' }));
  const domainTeams = new Map<string, string[]>();
  const TEAM_WORDS = ['core', 'experience', 'platform', 'integrations', 'data', 'growth', 'reliability', 'operations', 'apps', 'engine', 'intelligence', 'services'];
  for (let i = 0; teams.length < scale.teams; i++) {
    const d = DOMAINS[i % DOMAINS.length]!;
    const k = Math.floor(i / DOMAINS.length);
    const word = TEAM_WORDS[k % TEAM_WORDS.length]!;
    const slug = `${d.system}-${word}${k >= TEAM_WORDS.length ? `-${Math.floor(k / TEAM_WORDS.length) + 1}` : ''}`;
    if (teams.some((t) => t.slug === slug)) continue; // e.g. identity-platform is a foundation team
    teams.push({ slug, name: title(slug), description: `${title(d.system)} ${word}: owns part of the ${d.system} domain.`, system: d.system });
    domainTeams.set(d.system, [...(domainTeams.get(d.system) ?? []), slug]);
  }

  // Services: the foundation, then domain services ordered by their layer hint.
  const sizes = layerSizes(scale.services, foundationCount);
  const services: GenService[] = [];
  const push = (s: Omit<GenService, 'id' | 'repo' | 'activity'>, activity: number) =>
    services.push({ ...s, id: services.length + 1, repo: `acme/${s.slug}`, activity });
  for (const f of FOUNDATION.slice(0, foundationCount)) {
    push({ slug: f.slug, name: f.name, tier: rng.weighted(TIER_SHARES[0]!), team: f.team, system: 'platform', layer: 0, archetype: f.archetype }, 2.5);
  }
  const candidates: { slug: string; domain: (typeof DOMAINS)[number]; noun: string; layer: number; key: number }[] = [];
  for (const domain of DOMAINS) {
    for (const noun of domain.nouns) {
      for (const [suffix, layer] of VARIANTS) {
        const slug = `${noun}${suffix}`;
        candidates.push({ slug, domain, noun, layer, key: rng.next() });
      }
    }
  }
  // Every layer takes its share, most "typical" variants first; slugs stay unique.
  const used = new Set(services.map((s) => s.slug));
  for (let layer = 1; layer <= 4; layer++) {
    const wanted = sizes[layer]!;
    const pool = candidates.filter((c) => !used.has(c.slug)).sort((a, b) => Math.abs(a.layer - layer) - Math.abs(b.layer - layer) || a.key - b.key);
    let taken = 0;
    for (const c of pool) {
      if (taken >= wanted) break;
      if (used.has(c.slug)) continue;
      used.add(c.slug);
      taken++;
      const teamsOf = domainTeams.get(c.domain.system) ?? [teams[teams.length - 1]!.slug];
      const team = teamsOf[c.domain.nouns.indexOf(c.noun) % teamsOf.length]!;
      const archetype = /(-store|ledger|order-store|stock-ledger)$/.test(c.slug) ? 'orders-db' : c.domain.archetypes[c.domain.nouns.indexOf(c.noun) % c.domain.archetypes.length]!;
      // A few services change all the time, most now and then (a heavy tail, like real repositories).
      const activity = Math.exp(rng.next() * 2.2 - 1.1) * (layer === 3 ? 1.1 : layer === 4 ? 0.8 : 1);
      push({ slug: c.slug, name: title(c.slug), tier: rng.weighted(TIER_SHARES[layer]!), team, system: c.domain.system, layer, archetype }, activity);
    }
    if (taken < wanted) throw new Error(`not enough service names for layer ${layer} (${taken}/${wanted})`);
  }

  const edges = generateEdges(rng, services, scale.edges, foundationCount);
  const people = generatePeople(rng, scale, teams);
  const members = new Map<string, GenPerson[]>();
  const seniors = new Map<string, GenPerson[]>();
  for (const p of people) {
    if (p.isBot || !p.team) continue;
    if (p.role === 'engineer' || p.role === 'senior') members.set(p.team, [...(members.get(p.team) ?? []), p]);
    if (p.role === 'senior') seniors.set(p.team, [...(seniors.get(p.team) ?? []), p]);
  }
  return {
    teams,
    services,
    edges,
    people,
    members,
    seniors,
    allSeniors: people.filter((p) => p.role === 'senior'),
    bots: { agents: people.filter((p) => p.handle in AGENT_BOTS), dependency: people.filter((p) => DEPENDENCY_BOTS.includes(p.handle)) },
  };
}

/**
 * Exactly `total` edges, each from a service to one generated before it (so the graph is a DAG):
 * mostly to the layer just below and to the same domain, with preferential attachment to a
 * heavy-tailed "fitness" so a few services become hubs, and a share to the foundation.
 */
function generateEdges(rng: Rng, services: GenService[], total: number, foundationCount: number): { serviceId: number; dependsOnId: number }[] {
  const n = services.length;
  const fitness = services.map((s, i) => {
    if (s.layer === 0) return FOUNDATION[i]!.hub;
    const pareto = 1 / Math.pow(1 - rng.next() * 0.999, 1 / 1.6); // Pareto(α = 1.6), ≥ 1
    return pareto * (s.layer === 1 ? 2 : s.layer === 2 ? 1.4 : 1);
  });
  const byLayer: number[][] = [[], [], [], [], []];
  const byLayerDomain = new Map<string, number[]>();
  services.forEach((s, i) => {
    byLayer[s.layer]!.push(i);
    const key = `${s.layer}|${s.system}`;
    byLayerDomain.set(key, [...(byLayerDomain.get(key) ?? []), i]);
  });
  const pickWeighted = (list: number[] | undefined, below: number): number | null => {
    if (!list || list.length === 0) return null;
    let sum = 0;
    for (const j of list) if (j < below) sum += fitness[j]!;
    if (sum <= 0) return null;
    let r = rng.next() * sum;
    for (const j of list) {
      if (j >= below) continue;
      r -= fitness[j]!;
      if (r < 0) return j;
    }
    return null;
  };

  // Degrees scaled to the exact total, never more than the services available below.
  const raw = services.map((s) => (s.layer === 0 ? (rng.chance(0.6) ? DEGREE[0]! * rng.next() * 2 : 0) : DEGREE[s.layer]! * (0.4 + rng.next() * 1.2)));
  const sum = raw.reduce((a, b) => a + b, 0);
  const degree = raw.map((d, i) => Math.min(i, Math.round((d * total) / sum)));
  let diff = total - degree.reduce((a, b) => a + b, 0);
  for (let guard = 0; diff !== 0 && guard < 10_000_000; guard++) {
    const i = foundationCount + Math.floor(rng.next() * (n - foundationCount));
    if (diff > 0 && degree[i]! < Math.min(i, 40)) { degree[i]!++; diff--; }
    else if (diff < 0 && degree[i]! > 1) { degree[i]!--; diff++; }
  }

  const edges: { serviceId: number; dependsOnId: number }[] = [];
  for (let i = 1; i < n; i++) {
    const s = services[i]!;
    const chosen = new Set<number>();
    let attempts = 0;
    while (chosen.size < degree[i]! && attempts < degree[i]! * 40) {
      attempts++;
      let j: number | null;
      const r = rng.next();
      if (s.layer === 0 || r < 0.18) j = pickWeighted(byLayer[0], Math.min(i, foundationCount));
      else {
        const target = r < 0.68 ? s.layer - 1 : Math.floor(rng.next() * s.layer);
        j = rng.chance(0.6) ? pickWeighted(byLayerDomain.get(`${target}|${s.system}`), i) : null;
        j ??= pickWeighted(byLayer[target], i);
      }
      if (j !== null && j !== i) chosen.add(j);
    }
    // Rare: not enough distinct targets drawn; fill from the nearest services below.
    for (let j = i - 1; chosen.size < degree[i]! && j >= 0; j--) chosen.add(j);
    for (const j of chosen) edges.push({ serviceId: s.id, dependsOnId: services[j]!.id });
  }
  return edges;
}

function generatePeople(rng: Rng, scale: Scale, teams: GenTeam[]): GenPerson[] {
  const people: GenPerson[] = [];
  const handles = new Set<string>();
  const add = (p: Omit<GenPerson, 'id' | 'handle' | 'email' | 'githubLogin'> & { handle?: string }) => {
    let handle = p.handle;
    if (!handle) {
      const [first, last] = p.name.toLowerCase().split(' ');
      handle = `${first}.${last}`;
      for (let k = 2; handles.has(handle); k++) handle = `${first}.${last}${k}`;
    }
    handles.add(handle);
    people.push({
      ...p,
      id: people.length + 1,
      handle,
      email: p.isBot ? null : `${handle}@bench.example`,
      githubLogin: p.isBot ? handle : `${handle.replace('.', '-')}-acme`,
    });
  };
  const name = () => `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
  add({ handle: 'admin', name: 'Platform Admin', title: 'Administrator', level: 8, role: 'admin', team: 'core-platform', isBot: false });
  for (const bot of [...Object.keys(AGENT_BOTS), ...DEPENDENCY_BOTS]) add({ handle: bot, name: bot.replace('[bot]', ''), title: 'Bot', level: null, role: 'engineer', team: null, isBot: true });
  const vps = Math.max(2, Math.round(scale.people * 0.004));
  const directors = Math.max(3, Math.round(scale.people * 0.02));
  for (let i = 0; i < vps; i++) add({ name: name(), title: 'VP Engineering', level: 10, role: 'vp', team: teams[i % teams.length]!.slug, isBot: false });
  for (let i = 0; i < directors; i++) add({ name: name(), title: 'Director of Engineering', level: 9, role: 'director', team: teams[(i * 7) % teams.length]!.slug, isBot: false });
  // Every team gets two seniors (so every change can find reviewers), then engineers round robin.
  for (const t of teams) {
    for (let k = 0; k < 2; k++) {
      const level = rng.weighted([[7, 60], [8, 32], [9, 8]] as const);
      add({ name: name(), title: level === 7 ? 'Senior Engineer' : level === 8 ? 'Staff Engineer' : 'Principal Engineer', level, role: 'senior', team: t.slug, isBot: false });
    }
  }
  for (let i = 0; people.length < scale.people; i++) {
    const level = rng.weighted([[4, 20], [5, 40], [6, 40]] as const);
    add({ name: name(), title: level === 4 ? 'Engineer' : level === 5 ? 'Software Engineer II' : 'Senior Software Engineer', level, role: 'engineer', team: teams[i % teams.length]!.slug, isBot: false });
  }
  return people;
}
