import { describe, expect, it } from 'vitest';
import { parseUnifiedDiff } from '@/lib/risk';
import { findConfigKey, indexConfigLines, matchWatchouts, type WatchoutRecord } from '@/lib/watchouts/match';

let next = 1;
const wo = (over: Partial<WatchoutRecord>): WatchoutRecord => ({
  id: next++,
  scope: 'service',
  service: null,
  pattern: null,
  text: 'Something to watch out for.',
  author: { handle: 'dkowalski', name: 'Dana Kowalski' },
  createdAt: new Date('2026-03-06T08:30:00Z'),
  ...over,
});

const diff = (file: string, body: string) => `diff --git a/${file} b/${file}\nindex 1..2 100644\n--- a/${file}\n+++ b/${file}\n${body}`;

describe('matchWatchouts', () => {
  const files = parseUnifiedDiff(
    diff('config/production.yaml', '@@ -1,4 +1,4 @@\n # comment\n-delivery.promise.max_days: 10\n+delivery.promise.max_days: 4\n delivery.cutoff.buffer_minutes: 45\n')
      + diff('infra/terraform/main.tf', '@@ -1,2 +1,2 @@\n-a = 1\n+a = 2\n context\n'),
  );
  const ctx = {
    touched: ['delivery-promise'],
    neighbours: [
      { slug: 'cart', relation: 'dependent' as const, of: 'delivery-promise' },
      { slug: 'inventory', relation: 'dependency' as const, of: 'delivery-promise' },
    ],
    files,
  };

  it('matches a service watch-out on a touched service, a dependent and a dependency, and says which', () => {
    const [direct, dependent, dependency, far] = [
      wo({ service: 'delivery-promise' }),
      wo({ service: 'cart' }),
      wo({ service: 'inventory' }),
      wo({ service: 'dns-resolver' }),
    ];
    const m = matchWatchouts([far!, dependency!, dependent!, direct!], ctx);
    expect(m.map((x) => [x.watchout.service, x.strength, x.reason])).toEqual([
      ['delivery-promise', 'direct', 'This change touches delivery-promise'],
      ['inventory', 'neighbour', 'delivery-promise, which this change touches, depends directly on inventory'],
      ['cart', 'neighbour', 'cart depends directly on delivery-promise, which this change touches'],
    ]);
  });

  it('matches path globs against changed paths (and the old name of a renamed file)', () => {
    const renamed = parseUnifiedDiff('diff --git a/zones/old.zone b/records/new.zone\nsimilarity index 100%\nrename from zones/old.zone\nrename to records/new.zone\n');
    const m = matchWatchouts(
      [wo({ scope: 'path', pattern: 'infra/terraform/**' }), wo({ scope: 'path', pattern: '**/*.sql' }), wo({ scope: 'path', pattern: 'zones/**' })],
      { ...ctx, files: [...files, ...renamed] },
    );
    // Same date: the later one first.
    expect(m.map((x) => x.watchout.pattern)).toEqual(['zones/**', 'infra/terraform/**']);
    expect(m[1]!.reason).toBe('Path `infra/terraform/**` matches 1 changed file: infra/terraform/main.tf');
    expect(m[0]!.locations).toEqual([{ path: 'records/new.zone' }]);
  });

  it('matches config keys on added and deleted lines, with the line', () => {
    const m = matchWatchouts([wo({ scope: 'config_key', pattern: 'delivery.promise.max_days' }), wo({ scope: 'config_key', pattern: 'delivery.cutoff.buffer_minutes' })], ctx);
    // buffer_minutes is only on a context line: unchanged, so not matched.
    expect(m).toHaveLength(1);
    expect(m[0]!.reason).toBe('Changes config key `delivery.promise.max_days` in config/production.yaml (line 2)');
  });

  it('restricts a path or key watch-out tied to a service to changes of that service', () => {
    expect(matchWatchouts([wo({ scope: 'path', pattern: 'infra/**', service: 'cart' })], ctx)).toEqual([]);
    expect(matchWatchouts([wo({ scope: 'path', pattern: 'infra/**', service: 'delivery-promise' })], ctx)).toHaveLength(1);
  });

  it('orders direct matches before neighbours, newest first', () => {
    const old = wo({ service: 'delivery-promise', createdAt: '2025-01-01T00:00:00Z' });
    const fresh = wo({ service: 'delivery-promise', createdAt: '2026-01-01T00:00:00Z' });
    const near = wo({ service: 'cart', createdAt: '2027-01-01T00:00:00Z' });
    expect(matchWatchouts([near, old, fresh], ctx).map((x) => x.watchout.id)).toEqual([fresh.id, old.id, near.id]);
  });
});

describe('findConfigKey', () => {
  const index = (file: string, body: string) => indexConfigLines(parseUnifiedDiff(diff(file, body)));

  it('finds a nested YAML key from the indentation the hunk shows', () => {
    const i = index('values.yaml', '@@ -1,5 +1,5 @@\n checkout:\n   payment:\n-    timeout_ms: 9000\n+    timeout_ms: 6000\n   retries: 2\n');
    expect(findConfigKey(i, 'checkout.payment.timeout_ms')).toEqual([{ path: 'values.yaml', line: 3 }]);
    expect(findConfigKey(i, 'payment.timeout_ms')).toHaveLength(1);
    expect(findConfigKey(i, 'checkout.retries')).toEqual([]);
    expect(findConfigKey(i, 'checkout.payment.timeout')).toEqual([]);
  });

  it('finds flat keys, keys inside code and environment-variable spellings, on whole segments only', () => {
    const i = index('src/config.ts', '@@ -1,3 +1,3 @@\n-const t = cfg.get("fraud.score.threshold");\n+const t = cfg.get("fraud.score.threshold_v2");\n+process.env.FRAUD_SCORE_THRESHOLD ??= "0.9";\n');
    expect(findConfigKey(i, 'fraud.score.threshold')).toEqual([{ path: 'src/config.ts', line: 1 }, { path: 'src/config.ts', line: 2 }]);
    expect(findConfigKey(i, 'fraud.score')).toHaveLength(2);
    expect(findConfigKey(i, 'score.thresh')).toEqual([]);
  });

  it('follows TOML sections and JSON nesting', () => {
    const toml = index('app.toml', '@@ -1,3 +1,3 @@\n [edge.rate_limit]\n-rps = 400\n+rps = 150\n');
    expect(findConfigKey(toml, 'edge.rate_limit.rps')).toEqual([{ path: 'app.toml', line: 2 }]);
    const json = index('settings.json', '@@ -1,5 +1,5 @@\n {\n   "identity": {\n     "session": {\n-      "ttl_minutes": 60\n+      "ttl_minutes": 20\n');
    expect(findConfigKey(json, 'identity.session.ttl_minutes')).toEqual([{ path: 'settings.json', line: 4 }]);
  });
});
