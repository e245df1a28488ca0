// Code-change templates: each picks names and numbers for a service, lets the service's
// language kit render the files, and writes the title and description a PR would have.
import { goKit } from './code-go';
import { javaKit, kotlinKit } from './code-jvm';
import { pythonKit } from './code-python';
import { typescriptKit } from './code-typescript';
import { hunk, modified } from './diff';
import { camel, pascal, snake, type Lang } from './domain';
import { getService } from '../data/org';
import { type Ctx, type Draft, type LangKit, traits } from './kit';

const KITS: Record<Exclude<Lang, 'hcl'>, LangKit> = { ts: typescriptKit, go: goKit, kotlin: kotlinKit, java: javaKit, python: pythonKit };

export function kitFor(lang: Lang): LangKit | null {
  return lang === 'hcl' ? null : KITS[lang];
}

type Field = { field: string; type: 'string' | 'number' | 'boolean' | 'date'; why: string };
const COMMERCE_FIELDS: Field[] = [
  { field: 'promise_date', type: 'date', why: 'the app wants to show the promised date without a second call' },
  { field: 'channel', type: 'string', why: 'store colleagues need to tell app, web and in-store orders apart' },
  { field: 'external_ref', type: 'string', why: 'support needs the partner reference to chase problems' },
  { field: 'is_marketplace', type: 'boolean', why: 'marketplace items need a different returns message' },
];
const PLATFORM_FIELDS: Field[] = [
  { field: 'owner_team', type: 'string', why: 'on-call needs to know who to page without opening the catalog' },
  { field: 'last_synced_at', type: 'date', why: 'we keep being asked how fresh this data is' },
  { field: 'region', type: 'string', why: 'the failover tooling needs to filter by region' },
  { field: 'revision', type: 'number', why: 'clients want to detect stale copies cheaply' },
];
const SUPPLY_FIELDS: Field[] = [
  { field: 'priority', type: 'number', why: 'the warehouse wants to sort by it' },
  { field: 'promise_date', type: 'date', why: 'customer services want to see what we promised' },
  { field: 'carrier_ref', type: 'string', why: 'support needs the carrier reference to chase lost parcels' },
  { field: 'last_synced_at', type: 'date', why: 'store colleagues keep asking how fresh the stock figure is' },
];
const DATA_FIELDS: Field[] = [
  { field: 'cost_center', type: 'string', why: 'finance reconciles by cost centre, not team' },
  { field: 'last_synced_at', type: 'date', why: 'dashboards should say how fresh the numbers are' },
  { field: 'is_estimate', type: 'boolean', why: 'the month-to-date figures are estimates until the invoice lands' },
];
const FIELDS_BY_SYSTEM: Record<string, Field[]> = {
  platform: PLATFORM_FIELDS, 'network-edge': PLATFORM_FIELDS, 'developer-experience': PLATFORM_FIELDS, identity: PLATFORM_FIELDS,
  'supply-chain': SUPPLY_FIELDS, orders: SUPPLY_FIELDS, finops: DATA_FIELDS, data: DATA_FIELDS,
};
const fieldsFor = (slug: string): Field[] => FIELDS_BY_SYSTEM[getService(slug).system] ?? COMMERCE_FIELDS;

/** Which bug-fix stories make sense where: money rounding only where there is money. */
const MONEY = new Set(['pricing', 'promotions', 'tax', 'cart', 'checkout', 'payments', 'returns', 'billing-data', 'cost-explorer']);
const DATES = new Set(['delivery-promise', 'fulfilment', 'order-pipeline', 'notifications', 'billing-data', 'inventory', 'returns', 'store-locator', 'cost-explorer', 'identity']);

const RENAMES: [string, string][] = [
  ['syncRecord', 'reconcileRecord'], ['refreshCache', 'warmCache'], ['handleEvent', 'applyEvent'],
  ['updateStatus', 'transitionStatus'], ['loadSettings', 'resolveSettings'], ['processBatch', 'drainBatch'],
];

const CALLERS: Record<Exclude<Lang, 'hcl'>, string[]> = {
  ts: ['consumers/catalog-events', 'jobs/nightly-sync', 'api/admin-routes', 'consumers/stock-events'],
  go: ['consumer/events', 'jobs/sweeper', 'api/admin', 'consumer/replay'],
  kotlin: ['consumer/EventsListener', 'jobs/NightlySync', 'api/AdminController', 'consumer/ReplayListener'],
  java: ['consumer/EventsListener', 'jobs/NightlySync', 'api/AdminController'],
  python: ['jobs/nightly', 'consumers/events', 'api/admin'],
};

const REASONS = ['the catalogue grew past 1.8M SKUs', 'the move to the new region', 'Black Friday traffic', 'the acquirer switched data centres', 'the carrier API v3 migration', 'we added price zones'];

function clientOf(ctx: Ctx): { name: string; op: string } {
  const c = ctx.profile.clients;
  return c.length > 0 ? ctx.rng.pick(c) : { name: 'upstream', op: 'fetch' };
}

type CodeTemplate = (ctx: Ctx, kit: LangKit) => Draft;

const timeout: CodeTemplate = (ctx, kit) => {
  const c = clientOf(ctx);
  const from = ctx.rng.pick([300, 400, 500, 800, 1000, 1500, 2000]);
  const raise = ctx.rng.chance(0.6);
  const to = raise ? from + ctx.rng.pick([200, 400, 500, 1000]) : Math.max(100, from - ctx.rng.pick([100, 200, 300]));
  const edge = ctx.rng.pick([5000, 10000, 15000]);
  const files = kit.timeout(ctx, { client: c.name, from, to, edgeBudgetMs: edge });
  if (raise) {
    return {
      kind: 'code', files, plan: null, traits: traits(),
      title: `${ctx.slug}: raise ${c.name} call timeout from ${from}ms to ${to}ms`,
      description: `p99 for ${c.name}.${c.op} has crept up to ~${from - 40}ms since ${ctx.rng.pick(REASONS)}; about ${ctx.rng.int(2, 9) / 10}% of calls from ${ctx.slug} now time out and take the fallback path.\n\nRaising the budget to ${to}ms keeps us well inside the ${edge / 1000}s edge deadline. Dashboard: grafana/d/${ctx.slug}-clients.`,
    };
  }
  return {
    kind: 'code', files, plan: null, traits: traits({ removesGuard: true }),
    title: `${ctx.slug}: lower ${c.name} timeout to ${to}ms to fail fast`,
    description: `When ${c.name} degrades we hold connections for ${from}ms and the worker pool saturates before the circuit breaker opens. Failing at ${to}ms lets us serve the cached answer instead.\n\nNo test change: the timeout is not covered by unit tests.`,
  };
};

const retry: CodeTemplate = (ctx, kit) => {
  const c = clientOf(ctx);
  const withTest = ctx.rng.chance(0.7);
  const attempts = ctx.rng.pick([2, 3, 3, 4]);
  return {
    kind: 'code', plan: null, traits: traits({ testsTouched: withTest }),
    files: kit.retry(ctx, { client: c.name, op: c.op, attempts, baseDelayMs: ctx.rng.pick([50, 100, 200]), withTest }),
    title: `${ctx.slug}: retry ${c.name} ${c.op} on 503 with jittered backoff`,
    description: `${c.name} returns a handful of 503s during its own deploys (${ctx.rng.int(20, 400)} yesterday). ${c.op} is idempotent on the request id, so retrying up to ${attempts} attempts with exponential backoff and jitter is safe.\n\n${withTest ? 'Adds a test for the retry and for a non-retryable 400.' : 'Covered by the existing integration suite.'}`,
  };
};

const guard: CodeTemplate = (ctx, kit) => {
  const add = ctx.rng.chance(0.55);
  const f = ctx.rng.pick(fieldsFor(ctx.slug));
  const e = ctx.profile.entity;
  const files = kit.guard(ctx, { entity: e, field: f.field, add });
  return add ? {
    kind: 'code', files, plan: null, traits: traits(),
    title: `${ctx.slug}: skip ${pascal(e)} records without ${f.field} instead of failing`,
    description: `A few legacy ${e} records have no ${f.field}; one of them failed the whole run on ${ctx.rng.pick(['Tuesday', 'Wednesday', 'Thursday'])}. Log and skip them; a follow-up ticket backfills the data.`,
  } : {
    kind: 'code', files, plan: null, traits: traits({ removesGuard: true }),
    title: `${ctx.slug}: remove redundant ${f.field} check in ${e}Service`,
    description: `The upstream contract now guarantees ${f.field} is always set, so this check is dead code and costs a branch on the hot path. Removing it simplifies the service.`,
  };
};

const field: CodeTemplate = (ctx, kit) => {
  const f = ctx.rng.pick(fieldsFor(ctx.slug));
  const withTest = ctx.rng.chance(0.75);
  return {
    kind: 'code', plan: null, traits: traits({ testsTouched: withTest }),
    files: kit.field(ctx, { entity: ctx.profile.entity, field: f.field, type: f.type, withTest }),
    title: `${ctx.slug}: expose ${camel(f.field)} on ${ctx.profile.entity} responses`,
    description: `Adds an optional \`${camel(f.field)}\` field: ${f.why}. Additive and nullable, so existing clients are unaffected.`,
  };
};

const bugfix: CodeTemplate = (ctx, kit) => {
  const variants: ('rounding' | 'pagination' | 'timezone')[] = ['pagination'];
  if (MONEY.has(ctx.slug)) variants.push('rounding', 'rounding');
  if (DATES.has(ctx.slug)) variants.push('timezone', 'timezone');
  const v = ctx.rng.pick(variants);
  const files = kit.bugfix(ctx, v);
  const testsTouched = files.some((f) => /test/i.test(f.path));
  const titles = {
    rounding: `${ctx.slug}: fix penny rounding error on split amounts`,
    pagination: `${ctx.slug}: fix off-by-one in list pagination`,
    timezone: `${ctx.slug}: use the local calendar day instead of UTC`,
  };
  const why = {
    rounding: 'Finance found a 1p discrepancy on about 1 in 200 lines in the daily reconciliation.',
    pagination: 'Page 1 returned the second page of results; the admin screens never showed the newest items.',
    timezone: 'Between midnight and 01:00 BST we computed the previous day, which showed up as wrong dates in the morning reports.',
  };
  return { kind: 'code', files, plan: null, traits: traits({ testsTouched }), title: titles[v], description: `${why[v]}\n\nTicket: ${pascal(ctx.slug.split('-')[0] ?? 'ops').slice(0, 3).toUpperCase()}-${ctx.rng.int(1100, 4999)}.` };
};

const metric: CodeTemplate = (ctx, kit) => {
  const c = clientOf(ctx);
  const metricName = `${snake(ctx.slug)}_${snake(c.name)}_request_seconds`;
  return {
    kind: 'code', plan: null, traits: traits(),
    files: kit.metric(ctx, { client: c.name, op: c.op, metric: metricName }),
    title: `${ctx.slug}: add latency histogram for ${c.name}.${c.op}`,
    description: `We only had the error counter. This adds \`${metricName}\` so the SLO board can show p50/p99 per call. No behaviour change.`,
  };
};

const refactor: CodeTemplate = (ctx, kit) => {
  const [from, to] = ctx.rng.pick(RENAMES);
  const lang = ctx.profile.lang === 'hcl' ? 'ts' : ctx.profile.lang;
  const pool = [...CALLERS[lang]];
  const n = ctx.rng.int(2, pool.length);
  const callers = pool.slice(0, n);
  return {
    kind: 'code', plan: null, traits: traits({ testsTouched: true }),
    files: kit.refactor(ctx, { from, to, callers }),
    title: `${ctx.slug}: rename ${from} to ${to}`,
    description: `"${from}" stopped describing what it does after the last two changes. Mechanical rename across ${n + 2} files; no behaviour change.`,
  };
};

const depBumpBy = (bot: boolean): CodeTemplate => (ctx, kit) => {
  const d = ctx.rng.pick(kit.deps);
  return {
    kind: 'code', plan: null, traits: traits(),
    files: kit.depBump(ctx, d),
    title: bot ? `build(deps): bump ${d.name} from ${d.from} to ${d.to}` : `${ctx.slug}: upgrade ${d.name} to ${d.to}`,
    description: bot
      ? `Bumps ${d.name} from ${d.from} to ${d.to}.\n\nRelease notes: bug fixes and security patches; see the upstream changelog.\n\nDependabot will resolve any conflicts with this PR as long as you don't alter it yourself.`
      : `${d.name} ${d.from} has ${ctx.rng.pick(['a CVE flagged by the scanner', 'a connection-leak bug we hit in staging', 'gone out of support'])}. ${d.to} is a drop-in upgrade; the full test suite passes.`,
  };
};

const RUNBOOK_TOPICS = [
  { topic: 'rolling back a bad deploy', steps: ['Find the last good image tag in the deploy channel.', 'Run `make rollback TAG=<tag>`; it only touches this service.', 'Watch the error-rate panel for two minutes before closing the incident.'] },
  { topic: 'replaying dead-lettered events', steps: ['Check the DLQ depth on the queues board first.', 'Run `bin/replay-dlq --max 500` in the toolbox pod; it is idempotent.', 'If the same message fails twice, park it and open a ticket.'] },
  { topic: 'draining traffic from one region', steps: ['Set the region weight to 0 in the edge router config.', 'Wait for in-flight requests to finish (about 90 s).', 'Never drain both regions: the edge will serve the static error page.'] },
  { topic: 'rotating the upstream API key', steps: ['Create the new key in the partner portal; both keys work for 24 h.', 'Update the secret in Vault under the service path.', 'Restart pods one by one with `kubectl rollout restart`.'] },
];

export const docs = (ctx: Ctx): Draft => {
  const t = ctx.rng.pick(RUNBOOK_TOPICS);
  const startLine = ctx.rng.int(20, 80);
  const body = [
    ' ## Dashboards',
    ' ',
    ` - Service overview: grafana/d/${ctx.slug}`,
    ' ',
    `+## ${t.topic.charAt(0).toUpperCase()}${t.topic.slice(1)}`,
    '+',
    ...t.steps.map((s, i) => `+${i + 1}. ${s}`),
    '+',
    ' ## Escalation',
  ];
  return {
    kind: 'code', plan: null, traits: traits({ docsOnly: true }),
    files: [modified('docs/runbook.md', { oldStart: startLine, section: '', lines: body })],
    title: `${ctx.slug}: document ${t.topic} in the runbook`,
    description: `Wrote down what we did during last week's on-call so the next person doesn't have to ask in Slack.`,
  };
};

export const readmeTypo = (ctx: Ctx): Draft => {
  const fixes: [string, string][] = [
    ['Run `npm run dev` to start the the local server.', 'Run `npm run dev` to start the local server.'],
    ['See the [runbook](docs/runbok.md) for on-call procedures.', 'See the [runbook](docs/runbook.md) for on-call procedures.'],
    ['Enviroment variables are listed in `.env.example`.', 'Environment variables are listed in `.env.example`.'],
  ];
  const [before, after] = ctx.rng.pick(fixes);
  return {
    kind: 'code', plan: null, traits: traits({ docsOnly: true }),
    files: [modified('README.md', hunk(12, '', `
 ## Getting started

-${before}
+${after}
`))],
    title: `${ctx.slug}: fix typo in README`,
    description: 'One-line documentation fix.',
  };
};

const TEMPLATES: [CodeTemplate, number][] = [[timeout, 14], [retry, 12], [guard, 10], [field, 18], [bugfix, 14], [metric, 10], [refactor, 9], [depBumpBy(false), 5]];

/** A code change for the service; docs-only for services without application code. */
export function codeChange(ctx: Ctx, opts: { dependencyBump?: boolean } = {}): Draft {
  const kit = kitFor(ctx.profile.lang);
  if (!kit) return ctx.rng.chance(0.3) ? readmeTypo(ctx) : docs(ctx);
  if (opts.dependencyBump) return depBumpBy(true)(ctx, kit);
  if (ctx.rng.chance(0.08)) return ctx.rng.chance(0.3) ? readmeTypo(ctx) : docs(ctx);
  // Libraries and leaf apps without downstream clients get no timeout, retry or latency-metric changes.
  const usable = ctx.profile.clients.length > 0 ? TEMPLATES : TEMPLATES.filter(([t]) => t !== timeout && t !== retry && t !== metric);
  return ctx.rng.weighted(usable)(ctx, kit);
}
