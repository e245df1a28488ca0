#!/usr/bin/env node
// `npm test`: typecheck, lint, unit and integration tests on every database, build, and
// end-to-end tests in Chromium; ends with one line "N passed, N failed" over all suites.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const results = [];
const bin = (name) => `node_modules/.bin/${name}`;

let lastSeconds = 0;
const runStarted = Date.now();

function step(name, cmd, args, env = {}) {
  process.stdout.write(`\n━━ ${name} ━━\n`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  lastSeconds = (Date.now() - started) / 1000;
  process.stdout.write(`━━ ${name}: ${ok ? 'ok' : `FAILED (exit ${r.status ?? r.signal})`} in ${lastSeconds.toFixed(1)} s\n`);
  return ok;
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

results.push({ suite: 'typecheck', passed: step('typecheck', bin('tsc'), ['--noEmit']) ? 1 : 0, failed: 0, seconds: lastSeconds });
results.at(-1).failed = 1 - results.at(-1).passed;
results.push({ suite: 'lint', passed: step('lint', bin('eslint'), ['--max-warnings=0', '.']) ? 1 : 0, seconds: lastSeconds });
results.at(-1).failed = 1 - results.at(-1).passed;

const vitestOk = step('unit and integration tests (vitest)', bin('vitest'), ['run']);
const v = readJson('test-results/vitest.json');
if (v) results.push({ suite: 'vitest', passed: v.numPassedTests, failed: v.numFailedTests + (vitestOk || v.numFailedTests ? 0 : 1), seconds: lastSeconds });
else results.push({ suite: 'vitest', passed: 0, failed: 1, seconds: lastSeconds });

const built = step('build', bin('next'), ['build']);
results.push({ suite: 'build', passed: built ? 1 : 0, failed: built ? 0 : 1, seconds: lastSeconds });
if (built) {
  const e2eOk = step('end-to-end tests (playwright)', bin('playwright'), ['test']);
  const p = readJson('test-results/playwright.json');
  if (p?.stats) {
    const failed = p.stats.unexpected + (e2eOk || p.stats.unexpected ? 0 : 1);
    results.push({ suite: 'playwright', passed: p.stats.expected + p.stats.flaky, failed, seconds: lastSeconds });
  } else results.push({ suite: 'playwright', passed: 0, failed: 1, seconds: lastSeconds });
}

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
process.stdout.write('\n');
for (const r of results) process.stdout.write(`  ${r.suite.padEnd(12)} ${r.passed} passed, ${r.failed} failed  (${r.seconds.toFixed(1)} s)\n`);
process.stdout.write(`  ${'total'.padEnd(12)} ${((Date.now() - runStarted) / 1000).toFixed(1)} s\n`);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed ? 1 : 0);
