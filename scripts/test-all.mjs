#!/usr/bin/env node
// `npm test`: typecheck, lint, unit and integration tests on every database, build, and
// end-to-end tests in Chromium; ends with one line "N passed, N failed in T (each stage's time)".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const results = [];
const bin = (name) => `node_modules/.bin/${name}`;
let lastSeconds = 0;
const runStarted = Date.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function step(name, cmd, args, env = {}) {
  process.stdout.write(`\n━━ ${name} ━━\n`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  lastSeconds = Date.now() - started;
  process.stdout.write(`━━ ${name}: ${ok ? 'ok' : `FAILED (exit ${r.status ?? r.signal})`} in ${seconds(lastSeconds)}\n`);
  return ok;
}

/** Records the last step's outcome under a suite name, with the time it took. */
function record(suite, passed, failed) {
  results.push({ suite, passed, failed, ms: lastSeconds });
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

fs.rmSync('test-results', { recursive: true, force: true });
fs.mkdirSync('test-results', { recursive: true });

const typed = step('typecheck', bin('tsc'), ['--noEmit']);
record('typecheck', typed ? 1 : 0, typed ? 0 : 1);
const linted = step('lint', bin('eslint'), ['--max-warnings=0', '.']);
record('lint', linted ? 1 : 0, linted ? 0 : 1);

const vitestOk = step('unit and integration tests (vitest)', bin('vitest'), ['run']);
const v = readJson('test-results/vitest.json');
if (v) record('vitest', v.numPassedTests, v.numFailedTests + (vitestOk || v.numFailedTests ? 0 : 1));
else record('vitest', 0, 1);

const built = step('build', bin('next'), ['build']);
record('build', built ? 1 : 0, built ? 0 : 1);
if (built) {
  const e2eOk = step('end-to-end tests (playwright)', bin('playwright'), ['test']);
  const p = readJson('test-results/playwright.json');
  if (p?.stats) {
    const failed = p.stats.unexpected + (e2eOk || p.stats.unexpected ? 0 : 1);
    record('playwright', p.stats.expected + p.stats.flaky, failed);
  } else record('playwright', 0, 1);
}

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
process.stdout.write('\n');
for (const r of results) process.stdout.write(`  ${r.suite.padEnd(12)} ${r.passed} passed, ${r.failed} failed  (${seconds(r.ms)})\n`);
const stages = results.map((r) => `${r.suite} ${seconds(r.ms)}`).join(', ');
process.stdout.write(`${passed} passed, ${failed} failed in ${seconds(Date.now() - runStarted)} (${stages})\n`);
process.exit(failed ? 1 : 0);
