// Config-change templates: runtime keys served by config-service, Helm values, feature-flag
// roll-outs, config-service's global defaults, alert rules, DNS zones and Kafka topics.
import { hunk, hunkOf, modified } from './diff';
import type { ConfigKey } from './domain';
import { type Ctx, type Draft, traits } from './kit';

function formatValue(k: ConfigKey, v: number): string {
  return k.unit === 'ratio' ? v.toFixed(2) : String(Math.round(v));
}

function nextValue(ctx: Ctx, k: ConfigKey, up: boolean): number {
  if (k.unit === 'ratio') return Math.max(0.05, Math.round((k.value + (up ? 1 : -1) * ctx.rng.pick([0.03, 0.05, 0.1]) * k.value) * 100) / 100);
  const factor = up ? ctx.rng.pick([1.25, 1.5, 2]) : ctx.rng.pick([0.5, 0.6, 0.75]);
  const v = Math.max(1, Math.round(k.value * factor));
  return v === k.value ? v + (up ? 1 : -1) : v;
}

const unitWord = (k: ConfigKey) => ({ ms: 'ms', s: 's', count: '', pct: '%', days: ' days', minutes: ' min', ratio: '' })[k.unit];

const BELOW_CONFIG_SERVICE = new Set(['dns-resolver', 'k8s-platform', 'events-bus', 'orders-db', 'config-service']);

/** One runtime key in the service's config/production.yaml (flat dotted keys, as config-service serves them). */
export function runtimeKey(ctx: Ctx): Draft {
  const keys = ctx.profile.keys;
  if (keys.length === 0) return helmValues(ctx);
  const idx = ctx.rng.int(0, keys.length - 1);
  const key = keys[idx] as ConfigKey;
  const up = ctx.rng.chance(0.55);
  const to = nextValue(ctx, key, up);
  const risky = !up && key.lowerIsRisky;
  const neighbours = keys.filter((_, i) => i !== idx);
  const header = BELOW_CONFIG_SERVICE.has(ctx.slug)
    ? `# Runtime configuration for ${ctx.slug} (production). Read at start-up; config-service depends on us, not the other way round.`
    : `# Runtime configuration for ${ctx.slug} (production). Served by config-service, refreshed every 30 s.`;
  const before = [header, ...neighbours.slice(0, 1).map((n) => `${n.key}: ${formatValue(n, n.value)}`)];
  const after = neighbours.slice(1).map((n) => `${n.key}: ${formatValue(n, n.value)}`);
  const u = unitWord(key);
  return {
    kind: 'config', plan: null, traits: traits({ removesGuard: risky }),
    files: [modified('config/production.yaml', hunkOf(1, '', before, [`${key.key}: ${formatValue(key, key.value)}`], [`${key.key}: ${formatValue(key, to)}`], after))],
    title: `${ctx.slug}: ${up ? 'raise' : 'lower'} ${key.key} to ${formatValue(key, to)}${u}`,
    description: up
      ? `Ran at ${formatValue(key, key.value)}${u} since the last capacity review. Load tests on staging with ${formatValue(key, to)}${u} showed no regression and fewer fallbacks under peak.`
      : `Tightening ${key.key} from ${formatValue(key, key.value)}${u} to ${formatValue(key, to)}${u}. ${risky ? 'We want to shed load earlier when downstreams are slow.' : 'Frees capacity we are paying for but not using.'}`,
  };
}

export function helmValues(ctx: Ctx): Draft {
  const variant = ctx.rng.pick(['resources', 'replicas', 'hpa'] as const);
  if (variant === 'resources') {
    const cpu = ctx.rng.pick([250, 500, 750]);
    const mem = ctx.rng.pick([512, 768, 1024]);
    const newCpu = cpu + 250;
    const newMem = mem + 256;
    return {
      kind: 'config', plan: null, traits: traits(),
      files: [modified('deploy/helm/values-production.yaml', hunk(14, '', `
 resources:
   requests:
-    cpu: ${cpu}m
-    memory: ${mem}Mi
+    cpu: ${newCpu}m
+    memory: ${newMem}Mi
   limits:
-    memory: ${mem}Mi
+    memory: ${newMem}Mi
`))],
      title: `${ctx.slug}: raise memory request to ${newMem}Mi after OOMKills`,
      description: `${ctx.rng.int(3, 14)} OOMKilled restarts last week, all during the nightly batch. Working set peaks at ~${mem - 40}Mi; this gives headroom.`,
    };
  }
  const from = ctx.rng.pick([4, 6, 8, 12]);
  const up = ctx.rng.chance(0.55);
  const to = up ? from + ctx.rng.pick([2, 4]) : Math.max(2, from - ctx.rng.pick([2, 3]));
  const key = variant === 'replicas' ? 'replicaCount' : 'minReplicas';
  const lines = variant === 'replicas'
    ? hunkOf(3, '', ['image:', `  repository: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/${ctx.slug}`, ''], [`replicaCount: ${from}`], [`replicaCount: ${to}`], ['', 'podDisruptionBudget:', '  minAvailable: 50%'])
    : hunkOf(27, '', ['autoscaling:', '  enabled: true'], [`  minReplicas: ${from}`], [`  minReplicas: ${to}`], [`  maxReplicas: ${from * 4}`, '  targetCPUUtilizationPercentage: 65']);
  return {
    kind: 'config', plan: null, traits: traits({ removesGuard: !up }),
    files: [modified('deploy/helm/values-production.yaml', lines)],
    title: `${ctx.slug}: ${up ? 'scale up' : 'reduce'} ${key} from ${from} to ${to}${up ? ' ahead of the weekend peak' : ' to cut idle cost'}`,
    description: up
      ? `Saturday peaks reached 78% CPU with ${from} pods. ${to} keeps us under 60%.`
      : `Cost explorer shows ${ctx.slug} at ${ctx.rng.int(12, 30)}% average CPU. FinOps asked every team to trim idle capacity; ${to} pods still cover our weekday peak on paper.`,
  };
}

const FLAGS = ['new-address-form', 'express-checkout', 'saved-carts-v2', 'promise-ranges', 'wallet-first', 'ranking-v7', 'async-tax', 'split-shipments'];

export function flagRollout(ctx: Ctx): Draft {
  const flag = `${ctx.slug}.${ctx.rng.pick(FLAGS)}`;
  const from = ctx.rng.pick([0, 5, 10, 25, 50]);
  const to = from === 50 ? 100 : ctx.rng.pick([from + 5, from + 15, 50].filter((v) => v > from));
  return {
    kind: 'config', plan: null, traits: traits(),
    files: [modified('config/flags.json', hunk(ctx.rng.int(4, 40), '', `
   "${flag}": {
     "description": "Gradual roll-out, owner: ${ctx.slug}",
-    "rollout": ${from},
+    "rollout": ${to},
     "killSwitch": true
   },
`))],
    title: `${ctx.slug}: roll ${flag} out to ${to}%`,
    description: `${from}% has been stable for ${ctx.rng.int(2, 7)} days: no change in error rate or conversion on the experiment board. Next step ${to}%.`,
  };
}

const GLOBAL_KEYS: { key: string; from: number; to: number; why: string }[] = [
  { key: 'http.client.max_idle_conns', from: 100, to: 150, why: 'connection churn to the mesh sidecars shows up as 3–5 ms on every call' },
  { key: 'http.client.timeout_ms', from: 2000, to: 2500, why: 'three teams asked for the same override; make it the default' },
  { key: 'db.pool.max_connections', from: 40, to: 30, why: 'Aurora is close to max_connections at peak with every pod holding 40' },
  { key: 'retry.max_attempts', from: 3, to: 2, why: 'retry storms during the last two incidents tripled load on the failing dependency' },
  { key: 'circuit_breaker.error_threshold_pct', from: 50, to: 35, why: 'breakers open too late; we want them to trip before the thread pools saturate' },
  { key: 'log.level', from: 0, to: 0, why: 'info logs cost us 14 TB a month in Loki' },
];

/** config-service's own change: global defaults for every service, optionally ring by ring. */
export function globalDefaults(ctx: Ctx): Draft {
  const g = ctx.rng.pick(GLOBAL_KEYS);
  const ring = ctx.rng.weighted([['canary', 5], ['ten-percent', 2], ['global', 3]] as const);
  const path = ring === 'global' ? 'config/global/defaults.yaml' : `config/rings/${ring}.yaml`;
  const line = (v: number) => (g.key === 'log.level' ? `log.level: ${v === 0 ? 'info' : 'warn'}` : `${g.key}: ${v}`);
  const lowered = g.to < g.from && g.key !== 'log.level';
  const file = modified(path, g.key === 'log.level'
    ? hunkOf(8, '', ['# Applies to every service unless overridden in config/services/<service>.yaml'], ['log.level: info'], ['log.level: warn'], ['log.sample_debug_pct: 0'])
    : hunkOf(ctx.rng.int(6, 30), '', ['# Applies to every service unless overridden in config/services/<service>.yaml'], [line(g.from)], [line(g.to)], ['']));
  return {
    kind: 'config', plan: null, traits: traits({ removesGuard: lowered }),
    files: [file],
    title: `config-service: ${g.key === 'log.level' ? 'default log level to warn' : `${g.key} ${g.from} → ${g.to}`}${ring === 'global' ? ' for all services' : ` (${ring} ring)`}`,
    description: `Why: ${g.why}.\n\n${ring === 'global' ? 'Applies to every service at the next refresh (30 s).' : `Ring ${ring} first; we promote after two refresh cycles if the error-rate board stays flat.`}`,
  };
}

export function alertRule(ctx: Ctx): Draft {
  const svc = ctx.rng.pick(['checkout', 'payments', 'cart', 'search', 'order-pipeline', 'inventory']);
  const from = ctx.rng.pick([1, 2, 5]);
  const to = ctx.rng.chance(0.5) ? from * 2 : Math.max(0.5, from / 2);
  return {
    kind: 'config', plan: null, traits: traits({ removesGuard: to > from }),
    files: [modified(`alerts/${svc}.yaml`, hunk(ctx.rng.int(10, 60), '', `
       - alert: ${svc.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase())}HighErrorRate
         expr: |
           sum(rate(http_requests_total{service="${svc}",code=~"5.."}[5m]))
             / sum(rate(http_requests_total{service="${svc}"}[5m])) > ${from / 100}
-        for: 5m
+        for: ${to > from ? '10m' : '3m'}
         labels:
           severity: page
`))],
    title: `observability: ${to > from ? 'make' : 'tighten'} ${svc} error-rate alert ${to > from ? 'less noisy' : 'page sooner'}`,
    description: to > from ? `Paged ${ctx.rng.int(4, 11)} times last month for blips that cleared on their own. Waiting 10 minutes before paging.` : 'The last incident paged 9 minutes after customers noticed. Paging after 3 minutes.',
  };
}

export function dnsZone(ctx: Ctx): Draft {
  const name = ctx.rng.pick(['pricing-read', 'search-api', 'carrier-gw', 'wms-bridge', 'ledger']);
  const ip = `10.${ctx.rng.int(20, 40)}.${ctx.rng.int(0, 255)}.${ctx.rng.int(2, 250)}`;
  const serial = 2025090100 + ctx.rng.int(100, 9000);
  const bumpSerial = ctx.rng.chance(0.85);
  const serialHunk = hunk(3, '', `
 @   IN  SOA dns-legacy-01.acme.internal. hostmaster.acme-retail.example. (
-        ${serial} ; serial
+        ${serial + 1} ; serial
         3600       ; refresh
`);
  const recordHunk = hunk(ctx.rng.int(40, 120), '', `
 ; --- commerce
+${name.padEnd(16)} IN  A     ${ip}
 pricing          IN  CNAME pricing.prod-eu-west-1.acme.internal.
`);
  const file = modified('zones/acme.internal.zone', ...(bumpSerial ? [serialHunk, recordHunk] : [recordHunk]));
  return {
    kind: 'config', plan: null, traits: traits({ removesGuard: !bumpSerial }),
    files: [file],
    title: `dns: add ${name}.acme.internal`,
    description: `New internal name for ${name} (${ip}), needed by the ${ctx.rng.pick(['orders', 'checkout', 'supply-chain'])} team's migration.`,
  };
}

export function kafkaTopic(ctx: Ctx): Draft {
  const topic = ctx.rng.pick(['orders.placed.v2', 'stock.changed.v3', 'carts.updated.v1', 'payments.captured.v1']);
  const from = ctx.rng.pick([24, 48, 96]);
  const to = from * 2;
  return {
    kind: 'config', plan: null, traits: traits(),
    files: [modified(`topics/${topic.split('.')[0]}.yaml`, hunk(ctx.rng.int(5, 30), '', `
 - name: ${topic}
   partitions: ${from}
   config:
-    retention.ms: 259200000
+    retention.ms: 604800000
     min.insync.replicas: 2
`))],
    title: `events-bus: keep ${topic} for 7 days instead of 3`,
    description: `Consumers that fall behind over a long weekend lose events. Seven days of retention costs ~${to * 3} GB more on the brokers.`,
  };
}
