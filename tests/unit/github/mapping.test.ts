// Paths to services: path mappings (most specific glob wins), then the catalog's repository.
import { describe, expect, it } from 'vitest';
import { inferKind, mapPaths } from '@/lib/github/mapping';

describe('mapPaths', () => {
  const rules = [
    { pathGlob: '**', serviceSlug: 'platform-misc' },
    { pathGlob: 'services/payments/**', serviceSlug: 'payments' },
    { pathGlob: 'services/checkout/**', serviceSlug: 'checkout' },
    { pathGlob: '**/*.tf', serviceSlug: 'k8s-platform' },
  ];

  it('maps each path to the most specific matching glob', () => {
    const r = mapPaths(['services/payments/api.go', 'services/checkout/cart.ts'], rules, []);
    expect(r.services).toEqual(['checkout', 'payments']);
    expect(r.unmappedPaths).toEqual([]);
    expect(r.reasons.payments).toBe('services/payments/api.go matches services/payments/**');
    expect(mapPaths(['docs/readme.md'], rules, []).services).toEqual(['platform-misc']);
  });

  it('falls back to the services whose catalog repository it is, and reports what nothing claims', () => {
    expect(mapPaths(['src/a.ts'], [], ['cart'])).toMatchObject({ services: ['cart'], unmappedPaths: [] });
    expect(mapPaths(['src/a.ts', 'lib/b.ts'], [], [])).toMatchObject({ services: [], unmappedPaths: ['src/a.ts', 'lib/b.ts'] });
    expect(mapPaths([], [], ['cart']).services).toEqual(['cart']);
    expect(mapPaths(['.github/workflows/ci.yml'], [{ pathGlob: '**', serviceSlug: 'x' }], []).services).toEqual(['x']);
  });
});

describe('inferKind', () => {
  it('guesses infra, schema, config and code from paths', () => {
    expect(inferKind(['infra/main.tf'])).toBe('infra');
    expect(inferKind(['db/migrations/0042_drop.sql'])).toBe('schema');
    expect(inferKind(['config/prod.yaml', 'settings.json'])).toBe('config');
    expect(inferKind(['config/prod.yaml', 'src/app.ts'])).toBe('code');
    expect(inferKind([])).toBe('code');
  });
});
