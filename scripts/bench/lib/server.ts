// Builds (when needed) and starts the production app for the benchmark, and always stops what
// it started. The server runs in its own process group so one signal ends it and its children.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildIsStale } from '@/scripts/cli/commands/start';

export interface StartedServer {
  url: string;
  port: number;
  /** The process that serves requests (for /proc/<pid>/status). */
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

export function nextBin(root: string): string {
  return path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
}

/** Builds into NEXT_DIST_DIR when the build is missing or older than the sources (or when forced). */
export async function ensureBuild(root: string, env: NodeJS.ProcessEnv, force: boolean, log: (m: string) => void): Promise<void> {
  const prev = process.env.NEXT_DIST_DIR;
  process.env.NEXT_DIST_DIR = env.NEXT_DIST_DIR;
  const stale = buildIsStale(root);
  process.env.NEXT_DIST_DIR = prev;
  if (!force && !stale) {
    log(`build: ${env.NEXT_DIST_DIR} is up to date`);
    return;
  }
  log(`build: next build into ${env.NEXT_DIST_DIR} …`);
  const started = Date.now();
  // next build adds its dist dir's types to tsconfig.json's include; this build must not edit the repository.
  const tsconfig = path.join(root, 'tsconfig.json');
  const tsconfigBefore = fs.readFileSync(tsconfig, 'utf8');
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [nextBin(root), 'build'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (c) => {
      if (c !== 0) process.stderr.write(out.slice(-4000));
      resolve(c ?? 1);
    });
  });
  if (fs.readFileSync(tsconfig, 'utf8') !== tsconfigBefore) fs.writeFileSync(tsconfig, tsconfigBefore);
  if (code !== 0) throw new Error('next build failed (output above)');
  log(`build: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

export async function freePort(from: number): Promise<number> {
  for (let port = from; port < from + 100; port++) {
    const ok = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error(`no free port in ${from}..${from + 99}`);
}

/** The deepest descendant of pid (next start may serve from a child process). */
function servingPid(pid: number): number {
  try {
    const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    const node = children.find((c) => {
      try {
        return fs.readFileSync(`/proc/${c}/comm`, 'utf8').trim().startsWith('node') || fs.readFileSync(`/proc/${c}/comm`, 'utf8').trim().startsWith('next');
      } catch {
        return false;
      }
    });
    return node ? servingPid(node) : pid;
  } catch {
    return pid;
  }
}

const started = new Set<ChildProcess>();
let exitHooked = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

/** Stops every server this process started: on normal exit, on Ctrl-C, on a crash. */
function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => {
    for (const c of started) killGroup(c, 'SIGKILL');
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      for (const c of started) killGroup(c, 'SIGTERM');
      process.exit(130);
    });
  }
}

export async function startServer(root: string, env: NodeJS.ProcessEnv, port: number, log: (m: string) => void): Promise<StartedServer> {
  hookExit();
  const logFile = path.join(os.tmpdir(), `countersign-bench-server-${port}.log`);
  const out = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, [nextBin(root), 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: root,
    env: { ...env, PORT: String(port), NODE_ENV: 'production' },
    stdio: ['ignore', out, out],
    detached: true,
  });
  fs.closeSync(out);
  started.add(child);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (!started.has(child)) return;
    killGroup(child, 'SIGTERM');
    const exited = await Promise.race([new Promise<boolean>((r) => child.once('exit', () => r(true))), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
    if (!exited) killGroup(child, 'SIGKILL');
    started.delete(child);
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) {
      started.delete(child);
      throw new Error(`the server exited with ${child.exitCode} before it was ready; see ${logFile}:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
    }
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not answer /api/health within 120 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const pid = servingPid(child.pid!);
  log(`server: ${url} (pid ${pid}, log ${logFile})`);
  return { url, port, pid, logFile, stop };
}

export interface MemoryStatus {
  rssMb: number;
  hwmMb: number;
}

export function readMemory(pid: number): MemoryStatus | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** Resets the kernel's peak-RSS mark of pid (Linux ≥ 4.0); false when not allowed. */
export function resetPeakRss(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** CPU seconds (user + system) the process has used so far. */
export function cpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // After the command name: state is field 3, utime 14 and stime 15 (1-based in proc(5)).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/**
 * Waits until the server has been quiet (under `share` of a core) for `quietSeconds`: background
 * work at boot (the audit chain's full verification, cache warm-ups) must not be measured as
 * request latency. Returns how long it waited.
 */
export async function waitForIdle(pid: number, opts: { share?: number; quietSeconds?: number; maxSeconds?: number } = {}): Promise<number> {
  const share = opts.share ?? 0.05;
  const quiet = opts.quietSeconds ?? 3;
  const started = Date.now();
  let calm = 0;
  let last = cpuSeconds(pid);
  while ((Date.now() - started) / 1000 < (opts.maxSeconds ?? 600)) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = cpuSeconds(pid);
    if (!Number.isFinite(now)) break;
    calm = now - last < share ? calm + 1 : 0;
    last = now;
    if (calm >= quiet) break;
  }
  return (Date.now() - started) / 1000;
}
