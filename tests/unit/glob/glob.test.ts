// The one path-glob matcher (watch-outs and path mappings): picomatch's semantics for what people
// write, in linear time whatever the pattern, with save-time limits.
import { describe, expect, it } from 'vitest';
import { compilePathGlob, GLOB_LIMITS, globBase, globProblem } from '@/lib/glob/glob';

const match = (glob: string, path: string) => compilePathGlob(glob)!(path);

/** Median of a few runs, in ms: ratios of medians are stable on a shared machine. */
function time(fn: () => void, runs = 5): number {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  return t.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

describe('compilePathGlob', () => {
  it.each([
    ['**', 'a/b/c.ts', true],
    ['*.tf', 'main.tf', true],
    ['*.tf', 'infra/main.tf', false],
    ['**/*.tf', 'infra/main.tf', true],
    ['**/*.tf', 'main.tf', true],
    ['services/payments/**', 'services/payments/api.go', true],
    ['services/payments/**', 'services/payments', true],
    ['services/payments/**', 'services/paymentsX/a', false],
    ['src/*.ts', 'src/b/c.ts', false],
    ['src/**/x.ts', 'src/x.ts', true],
    ['src/**/x.ts', 'src/q/r/x.ts', true],
    ['a/?.md', 'a/b.md', true],
    ['a/?.md', 'a/bb.md', false],
    ['a/[ab].md', 'a/b.md', true],
    ['a/[!ab].md', 'a/c.md', true],
    ['{src,lib}/**/*.{ts,tsx}', 'lib/a/b.tsx', true],
    ['{src,lib}/**/*.{ts,tsx}', 'app/a/b.tsx', false],
    ['.github/**', '.github/workflows/ci.yml', true],
    ['**/.env', 'x/.env', true],
    ['./config/*.yaml', 'config/prod.yaml', true],
    ['a*b', 'axxb', true],
    ['a*b', 'a/b', false],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
  ])('%s against %s is %s', (glob, path, expected) => {
    expect(match(glob, path)).toBe(expected);
  });

  it('matches a pathological pattern in linear time (a 40-character path is instant)', () => {
    const evil = compilePathGlob('a*a*a*a*a*a*a*a*a*a*a*a*b')!;
    const benign = compilePathGlob('**/*.ts')!; // stays alive over the whole path too
    expect(evil('a'.repeat(40))).toBe(false);
    expect(evil(`${'a'.repeat(40)}b`)).toBe(true);
    const path = 'a'.repeat(20_000);
    // Same-size inputs: the pathological pattern may cost its extra states (≈ 25 vs 5, more under load), never exponentially more.
    const ratio = time(() => evil(path)) / Math.max(time(() => benign(path)), 0.05);
    expect(ratio).toBeLessThan(60);
    expect(time(() => evil('a'.repeat(40)))).toBeLessThan(time(() => evil(path)) + 5);
  });

  it('reports the base used for specificity', () => {
    expect(globBase('services/checkout/**')).toBe('services/checkout');
    expect(globBase('**')).toBe('');
    expect(globBase('docs/readme.md')).toBe('docs/readme.md');
  });
});

describe('globProblem', () => {
  it('accepts what people write and refuses too many wildcards, too long, too many alternatives', () => {
    expect(globProblem('infra/terraform/**')).toBeNull();
    expect(globProblem('a*a*a*a*a*a*a*a*a*a*a*a*b')).toBeNull();
    expect(globProblem('a*'.repeat(GLOB_LIMITS.maxWildcards + 1))).toMatch(/at most 16 wildcards/);
    expect(globProblem(`src/${'x'.repeat(GLOB_LIMITS.maxLength)}`)).toMatch(/at most 300 characters/);
    expect(globProblem('{a,b}/{c,d}/{e,f}/{g,h}/{i,j}/{k,l}.ts')).toMatch(/alternatives/);
    expect(globProblem('src/{a,b')).toMatch(/unbalanced/);
    expect(compilePathGlob('a*'.repeat(GLOB_LIMITS.maxWildcards + 1))).toBeNull();
  });
});
