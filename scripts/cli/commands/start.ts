// `npm start`: check the database, migrate, seed the demo when asked, build if the
// build is missing or older than the sources, then serve with `next start`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { getEnv } from '@/lib/env';
import type { Command } from '../command';
import { closeCliDatabase, openCliDatabase, out } from '../context';

const SOURCES = ['app', 'components', 'lib', 'db', 'public', 'next.config.ts', 'package.json', 'postcss.config.mjs', 'tsconfig.json'];

function newestMtime(p: string): number {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const entry of fs.readdirSync(p)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    max = Math.max(max, newestMtime(path.join(p, entry)));
  }
  return max;
}

export function buildIsStale(root: string): boolean {
  const buildId = path.join(root, process.env.NEXT_DIST_DIR || '.next', 'BUILD_ID');
  if (!fs.existsSync(buildId)) return true;
  const built = fs.statSync(buildId).mtimeMs;
  return SOURCES.some((s) => newestMtime(path.join(root, s)) > built);
}

function run(cmd: string, args: string[], cwd: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, stdio: 'inherit', env: process.env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

export const start: Command = {
  name: 'start',
  summary: 'Migrate, seed the demo if asked, build if needed, and serve the dashboard.',
  help: [
    'Serves on http://localhost:$PORT (3000). Without DATABASE_URL the embedded database in ./.data',
    'is used and the demo organisation is seeded into it when empty; with DATABASE_URL the demo',
    'is seeded only when COUNTERSIGN_DEMO=1.',
    '',
    'Options:',
    '  --no-build   never build, even if the build is missing or stale',
  ].join('\n'),
  async run(args) {
    const { values } = parseArgs({ args, options: { 'no-build': { type: 'boolean' } } });
    const env = getEnv();
    const next = path.join(env.root, 'node_modules', 'next', 'dist', 'bin', 'next');

    const h = await openCliDatabase();
    out.line(`Database: ${h.driver === 'pglite' ? `embedded PGlite in ${env.dataDir}` : 'PostgreSQL'} — migrations applied.`);
    if (env.demo) {
      const { seedDemo } = await import('@/db/seed/load');
      const result = await seedDemo(h.db, { demoPasswords: env.demoPasswords, now: env.seedNow, onProgress: (m) => out.line(`  ${m}`) });
      out.line(result.seeded ? `Demo organisation seeded: ${result.summary}.` : `Demo organisation: ${result.summary}.`);
      if (env.demoPasswords) {
        out.line('WARNING: demo passwords are on — the demo people sign in with the public password "countersign-demo". Set COUNTERSIGN_DEMO_PASSWORDS=0 for anything but a demo.');
      }
    }
    // The embedded database belongs to one process: release it before the server opens it.
    await closeCliDatabase();

    if (!values['no-build'] && buildIsStale(env.root)) {
      out.line('Building the app (first start, or sources changed)…');
      const code = await run(process.execPath, [next, 'build'], env.root);
      if (code !== 0) {
        out.err('countersign: the build failed; see the output above.');
        return code;
      }
    }

    out.line(`Countersign is starting on http://localhost:${env.PORT}`);
    const child = spawn(process.execPath, [next, 'start', '-p', String(env.PORT)], { cwd: env.root, stdio: 'inherit', env: process.env });
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    process.on('SIGINT', forward('SIGINT'));
    process.on('SIGTERM', forward('SIGTERM'));
    return new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 0 : 1))));
  },
};
