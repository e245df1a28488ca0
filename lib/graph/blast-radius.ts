// The blast radius of a change to B is every service that transitively depends on B. The graph is
// built once per catalog version into compact arrays (CSR adjacency, indexes in slug order so every
// traversal is deterministic), then each change costs one breadth-first search: linear in the edges
// reached, cycle-safe, and fast enough for 5,000 services and 25,000 edges in a few milliseconds.
import type { BlastRadius, BlastRadiusEntry, GraphService } from '@/lib/risk/types';

/** `serviceId` depends on `dependsOnId`. */
export interface DependencyEdge {
  serviceId: number;
  dependsOnId: number;
}

export interface ServiceGraph {
  /** Services by index, sorted by slug. */
  readonly services: readonly GraphService[];
  readonly indexById: ReadonlyMap<number, number>;
  readonly indexBySlug: ReadonlyMap<string, number>;
  /** Reverse adjacency: dependents of i are dependents[dependentsStart[i] .. dependentsStart[i+1]). */
  readonly dependentsStart: Int32Array;
  readonly dependents: Int32Array;
  /** Forward adjacency: what i depends on. */
  readonly dependenciesStart: Int32Array;
  readonly dependencies: Int32Array;
}

export function buildServiceGraph(input: { services: readonly GraphService[]; edges: readonly DependencyEdge[] }): ServiceGraph {
  const services = [...input.services].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : a.id - b.id));
  const indexById = new Map<number, number>();
  const indexBySlug = new Map<string, number>();
  services.forEach((s, i) => {
    indexById.set(s.id, i);
    if (!indexBySlug.has(s.slug)) indexBySlug.set(s.slug, i);
  });

  // Resolve edges to index pairs once; unknown services and self-loops are dropped.
  const from = new Int32Array(input.edges.length);
  const to = new Int32Array(input.edges.length);
  let count = 0;
  for (const edge of input.edges) {
    const dependent = indexById.get(edge.serviceId);
    const dependency = indexById.get(edge.dependsOnId);
    if (dependent === undefined || dependency === undefined || dependent === dependency) continue;
    from[count] = dependent;
    to[count] = dependency;
    count++;
  }
  const reverse = toCsr(services.length, to, from, count);
  const forward = toCsr(services.length, from, to, count);
  return {
    services,
    indexById,
    indexBySlug,
    dependentsStart: reverse.start,
    dependents: reverse.targets,
    dependenciesStart: forward.start,
    dependencies: forward.targets,
  };
}

/** Also exported under the name the brief uses. */
export const buildDependencyGraph = buildServiceGraph;

/** Compressed sparse rows from (source → target) pairs, each row sorted and de-duplicated. */
function toCsr(size: number, sources: Int32Array, targets: Int32Array, count: number): { start: Int32Array; targets: Int32Array } {
  const degree = new Int32Array(size + 1);
  for (let e = 0; e < count; e++) degree[(sources[e] as number) + 1]! += 1;
  for (let i = 0; i < size; i++) degree[i + 1]! += degree[i]!;
  const fill = degree.slice(0, size);
  const out = new Int32Array(count);
  for (let e = 0; e < count; e++) {
    const s = sources[e] as number;
    out[fill[s]!++] = targets[e] as number;
  }
  // Sort each row (indexes are in slug order) and drop duplicate edges.
  const start = new Int32Array(size + 1);
  let write = 0;
  for (let i = 0; i < size; i++) {
    const row = out.subarray(degree[i]!, degree[i + 1]!).sort();
    start[i] = write;
    let previous = -1;
    for (const target of row) {
      if (target !== previous) out[write++] = target;
      previous = target;
    }
  }
  start[size] = write;
  return { start, targets: out.slice(0, write) };
}

function resolve(graph: ServiceGraph, ref: string | number): number | undefined {
  return typeof ref === 'number' ? graph.indexById.get(ref) : graph.indexBySlug.get(ref);
}

/**
 * Every service that transitively depends on one of `changed` (ids or slugs), with its depth
 * (1 = direct dependent) and a shortest path of slugs from a changed service to it. Changed services
 * themselves are not listed; unknown references are ignored. Sorted by depth, then tier, then slug.
 */
export function computeBlastRadius(graph: ServiceGraph, changed: readonly (string | number)[]): BlastRadius {
  const size = graph.services.length;
  const depth = new Int32Array(size).fill(-1);
  const parent = new Int32Array(size).fill(-1);
  const queue = new Int32Array(size);
  let head = 0;
  let tail = 0;

  const sources: number[] = [];
  for (const ref of changed) {
    const index = resolve(graph, ref);
    if (index !== undefined && depth[index] === -1) {
      depth[index] = 0;
      sources.push(index);
    }
  }
  sources.sort((a, b) => a - b); // slug order: ties between changed services resolve the same way every time
  for (const s of sources) queue[tail++] = s;

  const { dependentsStart, dependents } = graph;
  while (head < tail) {
    const current = queue[head++] as number;
    const next = (depth[current] as number) + 1;
    for (let e = dependentsStart[current] as number, end = dependentsStart[current + 1] as number; e < end; e++) {
      const dependent = dependents[e] as number;
      if (depth[dependent] !== -1) continue;
      depth[dependent] = next;
      parent[dependent] = current;
      queue[tail++] = dependent;
    }
  }

  const reached: number[] = [];
  for (let q = sources.length; q < tail; q++) reached.push(queue[q] as number);
  const services = graph.services;
  reached.sort((a, b) => (depth[a] as number) - (depth[b] as number)
    || (services[a] as GraphService).tier - (services[b] as GraphService).tier
    || a - b);

  let tier1 = 0;
  const entries: BlastRadiusEntry[] = reached.map((index) => {
    const service = services[index] as GraphService;
    if (service.tier === 1) tier1++;
    const d = depth[index] as number;
    const path = new Array<string>(d + 1);
    for (let at = index, i = d; i >= 0; i--) {
      path[i] = (services[at] as GraphService).slug;
      at = parent[at] as number;
    }
    return { slug: service.slug, tier: service.tier, depth: d, path };
  });
  return { services: entries, total: entries.length, tier1 };
}

function neighbours(graph: ServiceGraph, ref: string | number, start: Int32Array, targets: Int32Array): GraphService[] {
  const index = resolve(graph, ref);
  if (index === undefined) return [];
  const out: GraphService[] = [];
  for (let e = start[index] as number, end = start[index + 1] as number; e < end; e++) {
    out.push(graph.services[targets[e] as number] as GraphService);
  }
  return out;
}

/** Services that depend directly on `ref`, by slug. */
export function directDependents(graph: ServiceGraph, ref: string | number): GraphService[] {
  return neighbours(graph, ref, graph.dependentsStart, graph.dependents);
}

/** Services `ref` depends on directly, by slug. */
export function directDependencies(graph: ServiceGraph, ref: string | number): GraphService[] {
  return neighbours(graph, ref, graph.dependenciesStart, graph.dependencies);
}
