// Lays out the blast-radius graph with dagre, left to right: the changed services first, then what
// depends on them, one column per hop, edges pointing toward dependents. Each service is drawn on its
// shortest path from the change (the path the table lists): the full dependency mesh of a central
// service is unreadable, this tree is not. Pure (no DOM), so it runs on the server and the page ships
// plain SVG. Very large radii are trimmed to the nearest depths.
import dagre from '@dagrejs/dagre';
import type { Tier } from '@/db/schema/enums';
import type { BlastRadiusEntry } from '@/lib/risk/types';

export interface GraphNode {
  slug: string;
  tier: Tier;
  depth: number;
  changed: boolean;
  path: string[];
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** From a changed service: the first hop of the blast. */
  direct: boolean;
  points: { x: number; y: number }[];
}

export interface GraphLayout {
  nodes: GraphNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
  /** The deepest depth drawn, when the graph was trimmed (the table still lists everything). */
  trimmedToDepth: number | null;
}

export const NODE_HEIGHT = 28;
const MAX_NODES = 60;

export function nodeWidth(slug: string): number {
  // 6.6 px per character of 12 px text, plus the tier pill and padding.
  return Math.max(92, Math.round(slug.length * 6.6 + 46));
}

export function layoutBlastGraph(input: { changed: { slug: string; tier: Tier }[]; services: BlastRadiusEntry[] }): GraphLayout {
  let services = input.services;
  let trimmedToDepth: number | null = null;
  if (input.changed.length + services.length > MAX_NODES) {
    // Keep the nearest depths whole: a partial depth would hide arbitrary services.
    let depth = Math.max(0, ...services.map((s) => s.depth));
    while (depth > 1 && input.changed.length + services.filter((s) => s.depth <= depth).length > MAX_NODES) depth--;
    services = services.filter((s) => s.depth <= depth);
    trimmedToDepth = depth;
  }

  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 8, ranksep: 64, edgesep: 6, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  const nodes = new Map<string, Omit<GraphNode, 'x' | 'y'>>();
  for (const c of input.changed) nodes.set(c.slug, { slug: c.slug, tier: c.tier, depth: 0, changed: true, path: [c.slug], width: nodeWidth(c.slug), height: NODE_HEIGHT });
  for (const s of services) if (!nodes.has(s.slug)) nodes.set(s.slug, { slug: s.slug, tier: s.tier, depth: s.depth, changed: false, path: s.path, width: nodeWidth(s.slug), height: NODE_HEIGHT });
  // Stable input order (depth, tier, slug) gives a stable picture for the same graph.
  const ordered = [...nodes.values()].sort((a, b) => a.depth - b.depth || a.tier - b.tier || (a.slug < b.slug ? -1 : 1));
  for (const n of ordered) g.setNode(n.slug, { width: n.width, height: n.height });
  // The last hop of each shortest path: from the service it is reached through, to it.
  const edges = services
    .map((s) => ({ from: s.path[s.path.length - 2] ?? '', to: s.slug }))
    .filter((e) => nodes.has(e.from) && nodes.has(e.to) && e.from !== e.to);
  for (const e of edges) g.setEdge(e.from, e.to);
  dagre.layout(g);

  const placed: GraphNode[] = ordered.map((n) => {
    const p = g.node(n.slug) as { x: number; y: number };
    return { ...n, x: p.x, y: p.y };
  });
  const laidEdges: GraphEdge[] = edges.map((e) => ({
    from: e.from,
    to: e.to,
    direct: nodes.get(e.from)!.changed,
    points: ((g.edge(e.from, e.to) as { points?: { x: number; y: number }[] } | undefined)?.points ?? []).map((p) => ({ x: p.x, y: p.y })),
  }));
  const graph = g.graph() as { width?: number; height?: number };
  return { nodes: placed, edges: laidEdges, width: Math.ceil(graph.width ?? 0), height: Math.ceil(graph.height ?? 0), trimmedToDepth };
}

/** A smooth SVG path through dagre's points (quadratic curves through the midpoints). */
export function edgePath(points: { x: number; y: number }[]): string {
  if (points.length === 0) return '';
  const f = (n: number) => Math.round(n * 10) / 10;
  const [first, ...rest] = points;
  let d = `M${f(first!.x)},${f(first!.y)}`;
  if (rest.length === 1) return `${d} L${f(rest[0]!.x)},${f(rest[0]!.y)}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const p = rest[i]!;
    const q = rest[i + 1]!;
    d += ` Q${f(p.x)},${f(p.y)} ${f((p.x + q.x) / 2)},${f((p.y + q.y) / 2)}`;
  }
  const last = rest[rest.length - 1]!;
  return `${d} L${f(last.x)},${f(last.y)}`;
}
