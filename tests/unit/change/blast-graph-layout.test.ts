import { describe, expect, it } from 'vitest';
import { edgePath, layoutBlastGraph, nodeWidth } from '@/components/change/blast-graph-layout';
import { tokenizeLines } from '@/components/change/highlight';
import type { BlastRadiusEntry } from '@/lib/risk/types';

const entry = (slug: string, path: string[], tier: 1 | 2 | 3 = 2): BlastRadiusEntry => ({ slug, tier, depth: path.length - 1, path });

describe('layoutBlastGraph', () => {
  const services = [entry('cart', ['config', 'cart'], 1), entry('search', ['config', 'search']), entry('checkout', ['config', 'cart', 'checkout'], 1)];
  const layout = layoutBlastGraph({ changed: [{ slug: 'config', tier: 1 }], services });

  it('draws one node per service and one edge per last hop of its shortest path, toward dependents', () => {
    expect(layout.nodes.map((n) => n.slug).sort()).toEqual(['cart', 'checkout', 'config', 'search']);
    expect(layout.edges.map((e) => `${e.from}>${e.to}:${e.direct}`).sort()).toEqual(['cart>checkout:false', 'config>cart:true', 'config>search:true']);
    expect(layout.trimmedToDepth).toBeNull();
  });

  it('lays out left to right by hops, inside its own bounds', () => {
    const x = Object.fromEntries(layout.nodes.map((n) => [n.slug, n.x]));
    expect(x.config!).toBeLessThan(x.cart!);
    expect(x.cart!).toBeLessThan(x.checkout!);
    for (const n of layout.nodes) {
      expect(n.x - n.width / 2).toBeGreaterThanOrEqual(0);
      expect(n.x + n.width / 2).toBeLessThanOrEqual(layout.width);
      expect(n.width).toBe(nodeWidth(n.slug));
    }
    for (const e of layout.edges) expect(edgePath(e.points)).toMatch(/^M[\d.]+,[\d.]+ /);
  });

  it('trims a huge radius to whole depths and says so', () => {
    const many = [
      ...Array.from({ length: 40 }, (_, i) => entry(`a${i}`, ['root', `a${i}`])),
      ...Array.from({ length: 40 }, (_, i) => entry(`b${i}`, ['root', `a${i}`, `b${i}`])),
    ];
    const big = layoutBlastGraph({ changed: [{ slug: 'root', tier: 1 }], services: many });
    expect(big.trimmedToDepth).toBe(1);
    expect(big.nodes).toHaveLength(41);
  });
});

describe('tokenizeLines', () => {
  it('highlights Terraform and shell, one token list per line, and leaves unknown languages plain', () => {
    const tf = tokenizeLines(['resource "aws_ecs_cluster" "prod" {', '  deletion_protection = false', '}'], 'terraform');
    expect(tf).toHaveLength(3);
    expect(tf[0]!.some((t) => t.types.includes('keyword') && t.content === 'resource')).toBe(true);
    expect(tf[1]!.some((t) => t.types.includes('boolean'))).toBe(true);
    const sh = tokenizeLines(['kubectl delete namespace "$ns"'], 'shell');
    expect(sh[0]!.some((t) => t.types.includes('function') && t.content === 'kubectl')).toBe(true);
    expect(tokenizeLines(['anything'], 'cobol')).toEqual([[{ types: ['plain'], content: 'anything' }]]);
    expect(tokenizeLines(['a', ''], 'yaml')).toHaveLength(2);
  });
});
