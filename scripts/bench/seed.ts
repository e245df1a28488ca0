// `npm run bench:seed -- --scale large|medium|small [--reset] [--seed N] [--until YYYY-MM-DD]`
// Generates a large engineering organisation (see scripts/bench/seed/scale.ts) deterministically
// and bulk-loads it into the database in DATABASE_URL, or the embedded PGlite
// (COUNTERSIGN_DATA_DIR, default ./.data) when it is unset. Refuses a database that already holds
// data unless --reset (which drops and recreates the schema first).
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, redactUrl, type DbHandle } from '@/db/client';
import { getEnv } from '@/lib/env';
import { generateHistory } from './seed/history';
import { generateOrg } from './seed/org';
import { DraftPool } from './seed/pool';
import { SCALES, type Scale } from './seed/scale';
import { resetSequences, writeOrganisation } from './seed/write';

export const BENCH_SEED_KEY = 'bench_seed';
/** The history ends here unless --until says otherwise: the same seed gives the same data. */
const DEFAULT_UNTIL = '2026-11-23';

class UsageError extends Error {}

async function isEmpty(h: DbHandle): Promise<{ empty: boolean; what: string }> {
  const [row] = await queryRows<{ people: number; services: number; changes: number }>(h.db, sql`
    select (select count(*) from people)::int as people, (select count(*) from services)::int as services, (select count(*) from changes)::int as changes`);
  const empty = !row || (row.people === 0 && row.services === 0 && row.changes === 0);
  return { empty, what: row ? `${row.people} people, ${row.services} services, ${row.changes} changes` : '' };
}

async function resetSchema(h: DbHandle): Promise<void> {
  await h.db.execute(sql`drop schema if exists drizzle cascade`);
  await h.db.execute(sql`drop schema if exists public cascade`);
  await h.db.execute(sql`create schema public`);
}

/** Plain lines when the output is not a terminal (CI logs, files): each phase at 0, every 25 % and at the end. */
function makeLines() {
  const seen = new Map<string, { started: number; last: number }>();
  const progress = (phase: string, done: number, total: number) => {
    let p = seen.get(phase);
    if (!p) {
      p = { started: performance.now(), last: -1 };
      seen.set(phase, p);
    }
    const quarter = total > 0 ? Math.floor((done / total) * 4) : 4;
    if (quarter === p.last) return;
    p.last = quarter;
    console.log(`  ${phase.padEnd(26)} ${String(done).padStart(9)}/${total} (${((performance.now() - p.started) / 1000).toFixed(1)} s)`);
  };
  return { progress, stop: () => {} };
}

function makeBars() {
  const multibar = new cliProgress.MultiBar(
    { format: ' {phase} |{bar}| {percentage}% | {value}/{total} | {duration_formatted}', barsize: 30, hideCursor: true, clearOnComplete: false, stopOnComplete: true, noTTYOutput: true, notTTYSchedule: 5000 },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  let current: string | null = null;
  const progress = (phase: string, done: number, total: number) => {
    let bar = bars.get(phase);
    if (!bar) {
      if (current && bars.get(current)) bars.get(current)!.stop();
      bar = multibar.create(Math.max(total, 1), 0, { phase: phase.padEnd(22) });
      bars.set(phase, bar);
      current = phase;
    }
    bar.setTotal(Math.max(total, 1));
    bar.update(done, { phase: phase.padEnd(22) });
  };
  return { progress, stop: () => multibar.stop() };
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { scale: { type: 'string', default: 'large' }, reset: { type: 'boolean', default: false }, seed: { type: 'string', default: '20260101' }, until: { type: 'string', default: DEFAULT_UNTIL } },
  });
  const scale: Scale | undefined = SCALES[values.scale as Scale['name']];
  if (!scale) throw new UsageError(`--scale must be one of ${Object.keys(SCALES).join(', ')}`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError('--seed must be an integer');
  const until = new Date(`${values.until}T00:00:00Z`);
  if (Number.isNaN(until.getTime())) throw new UsageError('--until must be a date, YYYY-MM-DD');

  const env = getEnv();
  const where = env.DATABASE_URL ? `PostgreSQL at ${redactUrl(env.DATABASE_URL)}` : `embedded PGlite in ${env.dataDir}`;
  console.log(`Countersign benchmark seed: ${scale.name} scale into ${where}`);
  const started = performance.now();
  const bars = process.stdout.isTTY ? makeBars() : makeLines();
  // A stalled bulk load must fail loudly, never end the process quietly with nothing pending.
  let lastProgress = Date.now();
  let phase = 'start';
  const progress = (p: string, done: number, total: number) => {
    lastProgress = Date.now();
    phase = p;
    bars.progress(p, done, total);
  };
  const watchdog = setInterval(() => {
    if (Date.now() - lastProgress > 600_000) {
      bars.stop();
      console.error(`bench:seed: no progress for 10 minutes during "${phase}"; giving up`);
      process.exit(1);
    }
  }, 5_000);

  // Check (and reset) with one connection pool, then generate, then write with a fresh one: a pool
  // left idle through minutes of generation is not trusted with the bulk load.
  const check = await openDatabase({ url: env.DATABASE_URL, dataDir: env.dataDir });
  try {
    await check.migrate();
    const state = await isEmpty(check);
    if (!state.empty) {
      if (!values.reset) throw new UsageError(`the database already holds data (${state.what}); pass --reset to drop it and seed afresh`);
      console.log(`--reset: dropping the existing schema (${state.what})`);
      await resetSchema(check);
      await check.migrate();
    }
  } finally {
    await check.close();
  }

  const t0 = performance.now();
  const org = generateOrg(scale, seed);
  const archetypes = new Set(org.services.map((s) => s.archetype));
  const pool = new DraftPool(archetypes, scale.name === 'small' ? 20 : 90, seed, (d, t) => progress('drafts (parse + flag)', d, t));
  const hist = generateHistory({ scale, seed, until, org, pool, onProgress: (p, d, t) => progress(p === 'changes' ? 'changes (generate)' : 'changes (assess)', d, t) });
  const tGen = performance.now();
  const mem = process.memoryUsage();
  console.log(`  generated: heap ${Math.round(mem.heapUsed / 2 ** 20)} MB, rss ${Math.round(mem.rss / 2 ** 20)} MB`);

  const h = await openDatabase({ url: env.DATABASE_URL, dataDir: env.dataDir });
  try {
    const counts = await writeOrganisation(h, org, hist, progress);
    await resetSequences(h);
    progress('vacuum analyze', 0, 1);
    await h.db.execute(sql`vacuum analyze`);
    progress('vacuum analyze', 1, 1);
    await h.db.execute(sql`insert into settings (key, value) values (${BENCH_SEED_KEY}, ${JSON.stringify({ scale: scale.name, seed, until: values.until, counts })}::jsonb)
      on conflict (key) do update set value = excluded.value, updated_at = now()`);
    bars.stop();

    const seconds = (performance.now() - started) / 1000;
    console.log(`\nGenerated in ${((tGen - t0) / 1000).toFixed(1)} s, written in ${((performance.now() - tGen) / 1000).toFixed(1)} s (total ${seconds.toFixed(1)} s).`);
    const pending = hist.changes.filter((c) => c.status === 'pending').length;
    console.log(`${counts.services} services, ${counts.serviceDependencies} dependencies, ${counts.people} people, ${counts.changes} changes (${pending} pending), ${counts.revisions} revisions, ` +
      `${counts.revisionFiles} revision files, ${counts.approvals} approvals, ${counts.gateDecisions} gate decisions (${hist.polls} of them pipeline polls), ${counts.deployments} deployments, ` +
      `${counts.incidents} incidents, ${counts.watchouts} watch-outs, ${counts.auditEvents} audit events (hash chain valid by construction).`);
    return 0;
  } finally {
    clearInterval(watchdog);
    bars.stop();
    await h.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`bench:seed: ${err instanceof UsageError ? err.message : (err as Error).stack ?? String(err)}`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
