// `npm run bench [-- --seconds 10 --rounds 3 --no-build --out bench-results.json]`
// On the database in DATABASE_URL (or the embedded one): builds the app into NEXT_DIST_DIR when
// needed, starts it on a free port, drives load over loopback with autocannon, stops what it
// started (always), and writes bench-results.json plus a readable table.
//
// Method: the floor (a constant-JSON route and a SELECT 1 route of the same app, and a SELECT 1
// through the same driver from this process) is measured in the same run as the gate, in
// interleaved rounds (floor, gate, floor, gate …), so the machine's other load hits both alike.
// Percentiles pool every response of every round; the per-round spread is the noise.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, redactUrl, type DbHandle } from '@/db/client';
import { revokeApiToken } from '@/lib/auth/tokens';
import { rescoreChanges } from '@/lib/changes/rescore';
import { bumpCatalogVersion } from '@/lib/graph/catalog';
import { getEnv } from '@/lib/env';
import { pool, runLoad, summarise, type LoadResult, type Pooled } from './lib/load';
import { fixtureSamples, measureInProcess, measureParallel, sampleRiskInputs } from './lib/risk';
import { cpuSeconds, ensureBuild, freePort, readMemory, resetPeakRss, startServer, waitForIdle, type StartedServer } from './lib/server';
import { chooseTargets, type Targets } from './lib/targets';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const log = (m: string) => console.log(`[bench] ${m}`);

interface Latency { p50: number; p99: number }
interface Measured extends Latency { rps: number; p90: number; requests: number; connections: number; rounds: { rps: number; p50: number; p99: number }[] }

function measured(p: Pooled, connections: number): Measured {
  return { rps: round(p.rps), p50: round(p.p50), p90: round(p.p90), p99: round(p.p99), requests: p.requests, connections, rounds: p.rounds.map((r) => ({ rps: round(r.rps), p50: round(r.p50), p99: round(r.p99) })) };
}
const round = (x: number, d = 2) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : x);

async function check(server: StartedServer, p: string, token: string | null, accept?: (body: string) => string | null): Promise<string | null> {
  const res = await fetch(`${server.url}${p}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const body = await res.text();
  if (res.status !== 200) return `${res.status} ${body.slice(0, 200)}`;
  return accept ? accept(body) : null;
}

/** SELECT 1 round trips through the driver from this process, `connections` loops sharing its pool. */
async function driverSelectOne(h: DbHandle, connections: number, seconds: number): Promise<LoadResult> {
  let samples = new Float64Array(1 << 16);
  let n = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < end) {
      const t = performance.now();
      await h.db.execute(sql`select 1`);
      if (n === samples.length) {
        const bigger = new Float64Array(samples.length * 2);
        bigger.set(samples);
        samples = bigger;
      }
      samples[n++] = performance.now() - t;
    }
  }));
  return summarise(samples.subarray(0, n), (performance.now() - started) / 1000, 0, 0);
}

interface ExportRun { label: string; from: string; to: string; rows: number; seconds: number; rowsPerSec: number; peakRssMb: number; baselineRssMb: number; bytes: number; status: number }

/** Streams one CSV export, counting rows, while sampling the server's resident memory. */
async function runExport(server: StartedServer, token: string, label: string, from: string, to: string): Promise<ExportRun> {
  const before = readMemory(server.pid);
  const canReset = resetPeakRss(server.pid);
  let peak = before?.rssMb ?? NaN;
  const timer = setInterval(() => {
    const m = readMemory(server.pid);
    if (m && m.rssMb > peak) peak = m.rssMb;
  }, 20);
  const started = performance.now();
  let rows = 0;
  let bytes = 0;
  let status = 0;
  try {
    const res = await fetch(`${server.url}/api/v1/audit/export.csv?from=${from}&to=${to}`, { headers: { authorization: `Bearer ${token}` } });
    status = res.status;
    if (res.body) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        for (let i = 0; i < value.length; i++) if (value[i] === 10) rows++;
      }
    }
  } finally {
    clearInterval(timer);
  }
  const seconds = (performance.now() - started) / 1000;
  const after = readMemory(server.pid);
  if (canReset && after) peak = Math.max(peak, after.hwmMb);
  const dataRows = Math.max(0, rows - 1); // the header line
  return { label, from, to, rows: dataRows, seconds: round(seconds, 3), rowsPerSec: round(dataRows / seconds, 0), peakRssMb: round(peak, 1), baselineRssMb: round(before?.rssMb ?? NaN, 1), bytes, status };
}

/** Re-scores every open change after a catalog change, in a transaction that is rolled back. */
async function measureRescore(h: DbHandle): Promise<{ ms: number; open: number; rescored: number } | { error: string }> {
  const [open] = await queryRows<{ n: number }>(h.db, sql`select count(*)::int as n from changes where status in ('pending', 'approved') and closed_at is null`);
  let result: { ms: number; open: number; rescored: number } | null = null;
  try {
    await h.db.transaction(async (tx) => {
      // The catalog change: the most depended-on service gains a dependency (its dependents do not change).
      await bumpCatalogVersion(tx);
      const started = performance.now();
      const moved = await rescoreChanges(tx, { reason: 'benchmark: catalog changed', actor: { personId: null, label: 'benchmark' } });
      result = { ms: round(performance.now() - started, 0), open: open!.n, rescored: moved.length };
      throw new RollbackSignal();
    });
  } catch (err) {
    if (!(err instanceof RollbackSignal)) return { error: (err as Error).message };
  }
  return result ?? { error: 'no result' };
}
class RollbackSignal extends Error {}

async function measureReportCold(h: DbHandle, isoWeek: string, times: number): Promise<{ p50: number; max: number; samples: number[] } | { error: string }> {
  try {
    const { getWeeklyReport } = await import('@/db/queries/reports');
    const samples: number[] = [];
    for (let i = 0; i < times; i++) {
      const t = performance.now();
      await getWeeklyReport(h.db, { isoWeek, fresh: true });
      samples.push(round(performance.now() - t, 1));
    }
    const sorted = [...samples].sort((a, b) => a - b);
    return { p50: sorted[Math.floor(sorted.length / 2)]!, max: sorted.at(-1)!, samples };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

function readCommit(dir: string): string | null {
  try {
    const snapshot = path.join(dir, 'SNAPSHOT');
    if (fs.existsSync(snapshot)) return fs.readFileSync(snapshot, 'utf8').trim();
    const head = fs.readFileSync(path.join(dir, '.git/HEAD'), 'utf8').trim();
    const ref = /^ref: (.+)$/.exec(head)?.[1];
    return ref ? fs.readFileSync(path.join(dir, '.git', ref), 'utf8').trim().slice(0, 12) : head.slice(0, 12);
  } catch {
    return null;
  }
}

function table(rows: (string | number)[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? '').length)));
  return rows.map((r, k) => {
    const line = r.map((c, i) => (typeof c === 'number' || /^[\d.,×x%-]+( ms| MB)?$/.test(String(c)) ? String(c).padStart(widths[i]!) : String(c).padEnd(widths[i]!))).join('  ');
    return k === 0 ? `${line}\n${widths.map((w) => '─'.repeat(w)).join('  ')}` : line;
  }).join('\n');
}

async function machine(h: DbHandle | null) {
  const cpus = os.cpus();
  let database = 'PGlite (embedded)';
  if (h && h.driver === 'postgres') {
    const [v] = await queryRows<{ version: string }>(h.db, sql`select version()`);
    database = v?.version.split(' on ')[0] ?? 'PostgreSQL';
  }
  return {
    cpu: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
    cores: cpus.length,
    memoryGb: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    database,
    loadAverageAtStart: os.loadavg().map((x) => round(x, 2)),
  };
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string', default: '10' },
      rounds: { type: 'string', default: '3' },
      'no-build': { type: 'boolean', default: false },
      build: { type: 'boolean', default: false },
      out: { type: 'string', default: 'bench-results.json' },
      port: { type: 'string', default: '3600' },
      connections: { type: 'string', default: '64' },
      // Serve the app from another checkout of this repository (e.g. a snapshot of HEAD).
      app: { type: 'string' },
    },
  });
  const appRoot = values.app ? path.resolve(values.app) : root;
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const gateConnections = Number(values.connections);
  const env = getEnv();
  const distDir = process.env.NEXT_DIST_DIR || '.next-bench';
  const serverEnv: NodeJS.ProcessEnv = { ...process.env, NEXT_DIST_DIR: distDir, COUNTERSIGN_DEMO: '0', COUNTERSIGN_DEMO_PASSWORDS: '0' };
  log(`database: ${env.DATABASE_URL ? redactUrl(env.DATABASE_URL) : `embedded PGlite in ${env.dataDir}`}; ${rounds} rounds of ${seconds} s per scenario`);

  let h: DbHandle | null = await openDatabase({ url: env.DATABASE_URL, dataDir: env.dataDir, max: 10 });
  await h.migrate();
  const targets: Targets = await chooseTargets(h);
  const mach = await machine(h);
  log(`scale: ${Object.entries(targets.scale).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ')}`);
  log(`targets: hub ${targets.hub.slug} (${targets.hub.dependents} dependents), detail change ${targets.detailChangeId}, busy week ${targets.busyWeek}, busy team ${targets.busyTeam}, export ${targets.month.label} (${targets.month.events} events)`);

  // The risk engine, before the server starts: nothing else of ours competes for the cores.
  log('risk engine: sampling real-shaped diffs …');
  const samples = await sampleRiskInputs(h, 1000);
  const fixtures = fixtureSamples(root);
  const riskSeconds = Math.max(3, Math.round(seconds / 2));
  const single = measureInProcess(samples, riskSeconds);
  const fixtureSingle = measureInProcess(fixtures, riskSeconds);
  const parallel = await measureParallel(root, samples, riskSeconds, os.cpus().length);
  log(`risk engine: ${Math.round(single.diffsPerSec)} diffs/s on one core, ${Math.round(parallel)} with ${os.cpus().length} workers; fixture patches ${Math.round(fixtureSingle.diffsPerSec)}/s`);

  if (h.driver === 'pglite') {
    // The embedded database is one process's: the server opens it next.
    await h.close();
    h = null;
  }

  if (values['no-build']) {
    if (!fs.existsSync(path.join(appRoot, distDir, 'BUILD_ID'))) throw new Error(`--no-build, but there is no build in ${path.join(appRoot, distDir)}`);
    log(`build: using the existing ${path.join(appRoot, distDir)} (--no-build)`);
  } else {
    await ensureBuild(appRoot, serverEnv, values.build, log);
  }
  const port = await freePort(Number(values.port));
  let server: StartedServer | null = null;
  const results: Record<string, unknown> = {};
  const problems: string[] = [];
  const auth = { authorization: `Bearer ${targets.token}` };
  try {
    server = await startServer(appRoot, serverEnv, port, log);
    const s = server;
    const gatePaths = targets.gateRefs.map((ref) => `/api/v1/gate?change=${encodeURIComponent(ref)}&environment=production`);
    const queuePath = '/api/v1/changes?status=pending';
    const filteredPath = `/api/v1/changes?status=pending&team=${encodeURIComponent(targets.busyTeam)}`;
    const detailPath = `/api/v1/changes/${targets.detailChangeId}`;
    const reportPath = `/api/v1/reports/weekly/${targets.busyWeek}`;
    const firstPage = await fetch(`${s.url}${queuePath}`, { headers: auth }).then((r) => r.json() as Promise<{ nextCursor?: string | null }>).catch(() => ({ nextCursor: null }));
    const nextPath = firstPage.nextCursor ? `${queuePath}&cursor=${encodeURIComponent(firstPage.nextCursor)}` : null;

    const scenarios: { key: string; paths: string[]; connections: number; token: boolean; accept?: (b: string) => string | null }[] = [
      { key: 'constJson', paths: ['/api/ping'], connections: gateConnections, token: false },
      { key: 'selectOne', paths: ['/api/ping?db=1'], connections: gateConnections, token: false },
      { key: 'gate', paths: gatePaths, connections: gateConnections, token: true, accept: (b) => (b.includes('"allowed"') ? null : `unexpected body ${b.slice(0, 120)}`) },
      { key: 'queue', paths: [queuePath], connections: 8, token: true, accept: (b) => (b.includes('"items"') ? null : 'no items') },
      { key: 'queueFiltered', paths: [filteredPath], connections: 8, token: true, accept: (b) => (b.includes('"items":[]') ? 'the filter matches nothing' : null) },
      ...(nextPath ? [{ key: 'queueNextPage', paths: [nextPath], connections: 8, token: true }] : []),
      { key: 'detail', paths: [detailPath], connections: 8, token: true, accept: (b) => (b.includes('blastRadius') || b.includes('blast') ? null : 'no blast radius in the answer') },
      { key: 'report', paths: [reportPath], connections: 2, token: true },
    ];
    const available = new Map<string, (typeof scenarios)[number]>();
    for (const sc of scenarios) {
      const problem = await check(s, sc.paths[0]!, sc.token ? targets.token : null, sc.accept);
      if (problem) {
        problems.push(`${sc.key}: ${sc.paths[0]} → ${problem}`);
        log(`skip ${sc.key}: ${problem}`);
      } else available.set(sc.key, sc);
    }
    const settled = await waitForIdle(s.pid);
    results.bootBackgroundSeconds = round(settled, 0);
    log(`server: quiet after ${settled.toFixed(0)} s of background work at boot (${round(cpuSeconds(s.pid), 1)} CPU s so far)`);
    // Warm-up: JIT, connection pools, the graph cache, Postgres buffers.
    for (const sc of available.values()) await runLoad({ url: s.url, paths: sc.paths, connections: sc.connections, seconds: 2, headers: sc.token ? auth : undefined });

    const collected = new Map<string, LoadResult[]>();
    const driver: LoadResult[] = [];
    for (let r = 0; r < rounds; r++) {
      for (const sc of available.values()) {
        const res = await runLoad({ url: s.url, paths: sc.paths, connections: sc.connections, seconds, headers: sc.token ? auth : undefined });
        if (res.non2xx || res.errors) problems.push(`${sc.key} round ${r + 1}: ${res.non2xx} non-2xx, ${res.errors} errors`);
        collected.set(sc.key, [...(collected.get(sc.key) ?? []), res]);
        if (sc.key === 'selectOne' && h) driver.push(await driverSelectOne(h, gateConnections, seconds));
      }
      log(`round ${r + 1}/${rounds}: ${[...available.keys()].map((k) => { const x = collected.get(k)!.at(-1)!; return `${k} p50 ${x.p50.toFixed(1)} p99 ${x.p99.toFixed(1)} ms ${Math.round(x.rps)}/s`; }).join(' · ')}`);
    }
    for (const [k, list] of collected) results[k] = measured(pool(list), available.get(k)!.connections);
    if (driver.length) results.selectOneDriver = measured(pool(driver), gateConnections);

    // The CSV export: a week, a month and a quarter, to see whether memory grows with rows.
    const exportCheck = await check(s, `/api/v1/audit/export.csv?from=${targets.week.from}&to=${targets.week.to}`, targets.token);
    if (exportCheck) {
      problems.push(`export: ${exportCheck}`);
      log(`skip export: ${exportCheck}`);
    } else {
      await runExport(s, targets.token, 'warm-up', targets.week.from, targets.week.to);
      const runs: ExportRun[] = [];
      for (const [label, range] of [['week', targets.week], ['month', targets.month], ['quarter', targets.quarter], ['month (again)', targets.month]] as const) {
        runs.push(await runExport(s, targets.token, label, range.from, range.to));
        log(`export ${label}: ${runs.at(-1)!.rows} rows in ${runs.at(-1)!.seconds} s, peak RSS ${runs.at(-1)!.peakRssMb} MB`);
      }
      results.exportRuns = runs;
    }
    results.serverMemory = readMemory(s.pid);
  } finally {
    if (server) await server.stop();
    log('server stopped');
  }

  // Re-scoring every open change after a catalog change (rolled back: the data stays as seeded).
  if (!h) h = await openDatabase({ url: env.DATABASE_URL, dataDir: env.dataDir });
  const rescore = await measureRescore(h);
  // The weekly report computed afresh (the route serves it from a per-process cache while no
  // write has changed its data): what the first reader after a write waits for.
  const reportCold = await measureReportCold(h, targets.busyWeek, 5);
  const [director] = await queryRows<{ id: number; handle: string }>(h.db, sql`select id, handle from people where handle = ${targets.tokenPerson}`);
  const [tok] = await queryRows<{ id: number }>(h.db, sql`select id from api_tokens where name = 'benchmark' and revoked_at is null order by id desc limit 1`);
  if (director && tok) await revokeApiToken(h.db, tok.id, director).catch(() => {});
  await h.close();

  const get = (k: string) => results[k] as Measured | undefined;
  const lat = (m: Measured | undefined): Latency | null => (m ? { p50: m.p50, p99: m.p99 } : null);
  const gate = get('gate');
  const constJson = get('constJson');
  const selectOne = get('selectOne');
  const exportRuns = (results.exportRuns as ExportRun[] | undefined) ?? [];
  const month = exportRuns.find((r) => r.label === 'month');
  const ratio = (a?: number, b?: number) => (a !== undefined && b ? round(a / b, 2) : null);
  const out = {
    gate: gate ? { rps: round(gate.rps, 0), p50: gate.p50, p99: gate.p99 } : null,
    floor: { constJson: lat(constJson), selectOne: lat(selectOne) },
    queue: lat(get('queue')),
    detail: lat(get('detail')),
    report: lat(get('report')),
    export: month ? { rowsPerSec: month.rowsPerSec, peakRssMb: month.peakRssMb } : null,
    risk: { diffsPerSec: round(parallel, 0) },
    scale: targets.scale,
    // Beyond the required shape:
    ratios: {
      gateP50ToConstJson: ratio(gate?.p50, constJson?.p50),
      gateP99ToConstJson: ratio(gate?.p99, constJson?.p99),
      gateP50ToSelectOne: ratio(gate?.p50, selectOne?.p50),
      gateP99ToSelectOne: ratio(gate?.p99, selectOne?.p99),
      gateRpsToConstJson: ratio(gate?.rps, constJson?.rps),
    },
    queueFiltered: lat(get('queueFiltered')),
    queueNextPage: lat(get('queueNextPage')),
    floorDriver: { selectOne: lat(get('selectOneDriver')) },
    rescoreAllPendingMs: 'ms' in rescore ? rescore.ms : null,
    reportCold,
    bootBackgroundSeconds: results.bootBackgroundSeconds ?? null,
    rescore,
    riskDetail: { singleCoreDiffsPerSec: round(single.diffsPerSec, 0), workers: os.cpus().length, parallelDiffsPerSec: round(parallel, 0), samples: samples.length, fixturePatchesPerSec: round(fixtureSingle.diffsPerSec, 0), fixturePatches: fixtures.length },
    exportRuns,
    detailed: Object.fromEntries(Object.entries(results).filter(([k]) => k !== 'exportRuns')),
    targets: { ...targets, token: undefined, gateRefs: targets.gateRefs.length },
    app: { root: appRoot, commit: readCommit(appRoot) },
    method: { seconds, rounds, warmupSeconds: 2, gateConnections, queueConnections: 8, detailConnections: 8, reportConnections: 2, loadGenerator: 'autocannon (same machine, loopback)', distDir },
    machine: { ...mach, loadAverageAtEnd: os.loadavg().map((x) => round(x, 2)) },
    problems,
    ranAt: new Date().toISOString(),
  };
  const outFile = path.resolve(root, values.out);
  fs.writeFileSync(outFile, `${JSON.stringify(out, null, 2)}\n`);

  const ms = (x: number | undefined | null) => (x === undefined || x === null || !Number.isFinite(x) ? '—' : `${x.toFixed(x < 10 ? 2 : 1)} ms`);
  const rows: (string | number)[][] = [['scenario', 'conns', 'req/s', 'p50', 'p99', 'target', 'verdict']];
  const verdict = (ok: boolean | null) => (ok === null ? '—' : ok ? 'met' : 'MISSED');
  const add = (name: string, key: string, target: string, ok: boolean | null) => {
    const m = get(key);
    rows.push([name, m?.connections ?? '—', m ? Math.round(m.rps) : '—', ms(m?.p50), ms(m?.p99), target, m ? verdict(ok) : 'not measured']);
  };
  add('floor: constant JSON', 'constJson', '', null);
  add('floor: SELECT 1 route', 'selectOne', '', null);
  add('floor: SELECT 1 driver', 'selectOneDriver', '', null);
  add('gate', 'gate', 'p99 ≤ 25 ms, ≥ 1,000/s, ≤ 3× const', gate && constJson ? gate.p99 <= 25 && gate.rps >= 1000 && gate.p99 <= 3 * constJson.p99 : null);
  add('queue, first page', 'queue', 'p99 ≤ 50 ms', get('queue') ? get('queue')!.p99 <= 50 : null);
  add('queue, filtered', 'queueFiltered', '', null);
  add('queue, next page', 'queueNextPage', '', null);
  add(`change detail (${targets.hub.slug})`, 'detail', 'p99 ≤ 80 ms', get('detail') ? get('detail')!.p99 <= 80 : null);
  add(`weekly report ${targets.busyWeek}`, 'report', 'p99 ≤ 300 ms', get('report') ? get('report')!.p99 <= 300 : null);
  console.log(`\n${table(rows)}`);
  console.log(`\ngate / constant JSON: p50 ${out.ratios.gateP50ToConstJson ?? '—'}×, p99 ${out.ratios.gateP99ToConstJson ?? '—'}× (target ≤ 3×); gate / SELECT 1 route: p50 ${out.ratios.gateP50ToSelectOne ?? '—'}×, p99 ${out.ratios.gateP99ToSelectOne ?? '—'}×`);
  console.log(`risk engine: ${out.riskDetail.parallelDiffsPerSec} diffs/s with ${out.riskDetail.workers} workers, ${out.riskDetail.singleCoreDiffsPerSec} on one core (target ≥ 2,000) — ${verdict(parallel >= 2000)}`);
  if (exportRuns.length) {
    console.log(`audit CSV export: ${exportRuns.map((r) => `${r.label} ${r.rows.toLocaleString('en-US')} rows at ${r.rowsPerSec.toLocaleString('en-US')}/s, peak RSS ${r.peakRssMb} MB`).join('; ')}`);
  }
  console.log(`weekly report computed afresh (in process, no cache): ${'p50' in reportCold ? `p50 ${reportCold.p50} ms, max ${reportCold.max} ms over ${reportCold.samples.length}` : reportCold.error}`);
  console.log(`re-score all open changes after a catalog change: ${'ms' in rescore ? `${rescore.ms} ms for ${rescore.open} open changes (${rescore.rescored} moved)` : rescore.error}`);
  if (problems.length) console.log(`\nproblems:\n  ${problems.join('\n  ')}`);
  console.log(`\nwrote ${outFile}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`bench: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
