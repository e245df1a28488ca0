import { describe, expect, it } from 'vitest';
import { buildServiceGraph, computeBlastRadius, directDependencies, directDependents } from '@/lib/graph/blast-radius';
import type { GraphService } from '@/lib/risk/types';

const svc = (id: number, slug: string, tier: 1 | 2 | 3): GraphService => ({ id, slug, tier, team: null });

// dns-resolver ← config-service ← {checkout, cart, search} ; checkout ← storefront ; cart ← checkout (diamond)
const services = [
  svc(1, 'dns-resolver', 1), svc(2, 'config-service', 1), svc(3, 'checkout', 1), svc(4, 'cart', 1),
  svc(5, 'search', 2), svc(6, 'storefront', 2), svc(7, 'reports', 3), svc(8, 'isolated', 3),
];
const edge = (serviceId: number, dependsOnId: number) => ({ serviceId, dependsOnId });
const edges = [edge(2, 1), edge(3, 2), edge(4, 2), edge(5, 2), edge(6, 3), edge(3, 4), edge(7, 5), edge(6, 5)];
const graph = buildServiceGraph({ services, edges });

describe('computeBlastRadius', () => {
  it('lists every transitive dependent with depth and a shortest path, sorted by depth, tier, slug', () => {
    const blast = computeBlastRadius(graph, ['config-service']);
    expect(blast.services).toEqual([
      { slug: 'cart', tier: 1, depth: 1, path: ['config-service', 'cart'] },
      { slug: 'checkout', tier: 1, depth: 1, path: ['config-service', 'checkout'] },
      { slug: 'search', tier: 2, depth: 1, path: ['config-service', 'search'] },
      { slug: 'storefront', tier: 2, depth: 2, path: ['config-service', 'checkout', 'storefront'] },
      { slug: 'reports', tier: 3, depth: 2, path: ['config-service', 'search', 'reports'] },
    ]);
    expect(blast.total).toBe(5);
    expect(blast.tier1).toBe(2);
  });

  it('accepts ids or slugs, several changed services, and leaves the changed ones out', () => {
    const bySlug = computeBlastRadius(graph, ['dns-resolver', 'cart']);
    const byId = computeBlastRadius(graph, [1, 4]);
    expect(byId).toEqual(bySlug);
    expect(bySlug.services.map((s) => [s.slug, s.depth])).toEqual([
      ['checkout', 1], ['config-service', 1], ['search', 2], ['storefront', 2], ['reports', 3],
    ]);
    expect(bySlug.services.find((s) => s.slug === 'checkout')?.path).toEqual(['cart', 'checkout']);
  });

  it('returns an empty radius for leaves, isolated and unknown services', () => {
    expect(computeBlastRadius(graph, ['storefront'])).toEqual({ services: [], total: 0, tier1: 0 });
    expect(computeBlastRadius(graph, ['isolated', 'no-such-service', 999])).toEqual({ services: [], total: 0, tier1: 0 });
  });

  it('terminates on cycles and ignores self-loops and duplicate edges', () => {
    const cyclic = buildServiceGraph({
      services: [svc(1, 'a', 1), svc(2, 'b', 2), svc(3, 'c', 3)],
      edges: [edge(1, 2), edge(2, 3), edge(3, 1), edge(1, 1), edge(2, 3), edge(2, 3), edge(9, 1)],
    });
    const blast = computeBlastRadius(cyclic, ['a']);
    expect(blast.services).toEqual([
      { slug: 'c', tier: 3, depth: 1, path: ['a', 'c'] },
      { slug: 'b', tier: 2, depth: 2, path: ['a', 'c', 'b'] },
    ]);
    expect(directDependents(cyclic, 'c').map((s) => s.slug)).toEqual(['b']);
  });
});

describe('direct neighbours', () => {
  it('lists direct dependents and dependencies by slug', () => {
    expect(directDependents(graph, 'config-service').map((s) => s.slug)).toEqual(['cart', 'checkout', 'search']);
    expect(directDependencies(graph, 'checkout').map((s) => s.slug)).toEqual(['cart', 'config-service']);
    expect(directDependencies(graph, 6).map((s) => s.slug)).toEqual(['checkout', 'search']);
    expect(directDependents(graph, 'unknown')).toEqual([]);
  });
});

describe('performance', () => {
  it('computes the radius of the most-depended-on service of 5,000 services and 25,000 edges in a few ms', () => {
    // Layered like a real organisation: a few platform services at the bottom, products on top.
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const many = Array.from({ length: 5000 }, (_, i) => svc(i + 1, `svc-${String(i).padStart(4, '0')}`, ((i % 3) + 1) as 1 | 2 | 3));
    const bigEdges: { serviceId: number; dependsOnId: number }[] = [];
    for (let i = 1; i < 5000; i++) {
      bigEdges.push(edge(i + 1, 1)); // everyone depends on the platform root
      for (let k = 0; k < 4 && bigEdges.length < 25_000; k++) bigEdges.push(edge(i + 1, 1 + Math.floor(random() * i)));
    }
    const started = performance.now();
    const big = buildServiceGraph({ services: many, edges: bigEdges });
    const built = performance.now();
    computeBlastRadius(big, ['svc-0000']); // warm-up
    const runs = 20;
    const t0 = performance.now();
    let blast = computeBlastRadius(big, ['svc-0000']);
    for (let r = 1; r < runs; r++) blast = computeBlastRadius(big, ['svc-0000']);
    const perRun = (performance.now() - t0) / runs;
    expect(bigEdges.length).toBeGreaterThanOrEqual(24_000);
    expect(blast.total).toBe(4999);
    expect(blast.services[0]!.depth).toBe(1);
    expect(blast.services.every((s) => s.path[0] === 'svc-0000' && s.path.length === s.depth + 1)).toBe(true);
    expect(built - started).toBeLessThan(500);
    expect(perRun).toBeLessThan(25); // a few ms in practice; loose so a busy CI machine does not flake
  });
});
