#!/usr/bin/env node
// Starts the built app for end-to-end tests on a fresh database of its own:
// `main` uses PostgreSQL when DATABASE_URL is set (else PGlite), `embedded` always PGlite.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [mode = 'main', port = '3100'] = process.argv.slice(2);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const env = { ...process.env, PORT: port, COUNTERSIGN_DEMO: '1', COUNTERSIGN_DEMO_PASSWORDS: '1', NODE_ENV: 'production' };
// GitHub as the ingestion spec fakes it (e2e/ingest.spec.ts starts a fake API on port + 50): never the real one.
Object.assign(env, { GITHUB_WEBHOOK_SECRET: 'e2e-webhook-secret', GITHUB_TOKEN: 'ghp_fake_token_for_tests', GITHUB_API_URL: `http://127.0.0.1:${Number(port) + 50}` });

if (mode === 'main' && process.env.DATABASE_URL) {
  const base = new URL(process.env.DATABASE_URL);
  const name = `${base.pathname.slice(1) || 'countersign'}_e2e_${port}`;
  const admin = new URL(base);
  admin.pathname = '/postgres';
  execFileSync('psql', [admin.toString(), '-qc', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`], { stdio: 'inherit' });
  execFileSync('psql', [admin.toString(), '-qc', `CREATE DATABASE "${name}"`], { stdio: 'inherit' });
  const url = new URL(base);
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
} else {
  delete env.DATABASE_URL;
  const dir = path.join(os.tmpdir(), `countersign-e2e-${mode}-${port}`);
  fs.rmSync(dir, { recursive: true, force: true });
  env.COUNTERSIGN_DATA_DIR = dir;
}

const child = spawn(process.execPath, [path.join(root, 'bin/countersign.mjs'), 'start', '--no-build'], { cwd: root, env, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
