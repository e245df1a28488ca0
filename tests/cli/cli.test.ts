// The command line as an operator and a pipeline use it, through the CLI's main and its exit
// codes; one smoke test starts the real binary (bin/countersign.mjs through tsx).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';

const root = path.resolve(__dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-cli-'));

/** The CLI in this process, on an embedded database of its own. */
function cli(args: string[], env: Record<string, string | undefined> = {}) {
  return runCli(args, { env: { DATABASE_URL: undefined, COUNTERSIGN_DATA_DIR: dataDir, ...env } });
}

/** The real binary in a process of its own, as `npx countersign` runs it. */
function spawnCli(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, COUNTERSIGN_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  const r = spawnSync(process.execPath, [path.join(root, 'bin/countersign.mjs'), ...args], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('countersign CLI on the embedded database', () => {
  it('migrates, seeds once, and creates a token printed as the last line', { timeout: 240_000 }, async () => {
    expect((await cli(['db', 'migrate'])).code).toBe(0);
    const seed1 = await cli(['db', 'seed']);
    expect(seed1.code, seed1.stderr).toBe(0);
    expect(seed1.stdout).toMatch(/Seeded the demo organisation/);
    const seed2 = await cli(['db', 'seed']);
    expect(seed2.code).toBe(0);
    expect(seed2.stdout).toMatch(/Nothing to do: already seeded/);

    const tok = await cli(['token', 'create', '--person', 'admin', '--scope', 'gate:read', '--scope', 'deployments:write']);
    expect(tok.code, tok.stderr).toBe(0);
    const last = tok.stdout.trim().split('\n').at(-1)!;
    expect(last).toMatch(/^cs_[A-Za-z0-9_-]{20,}$/);

    const bad = await cli(['token', 'create', '--person', 'admin', '--scope', 'everything']);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/Unknown scope everything/);
  });

  it('checkpoints the audit chain and verifies it offline against the checkpoints', { timeout: 120_000 }, async () => {
    const dir = path.join(process.env.COUNTERSIGN_TEST_CHECKPOINTS ?? path.join(dataDir, 'never'), `cli-${process.pid}-${Date.now().toString(36)}`);
    const env = { AUDIT_SIGNING_KEY: 'cli-key-0123456789abcdef0123456789abcdef' };
    const cp = await cli(['audit', 'checkpoint', '--dir', dir], env);
    expect(cp.code, cp.stderr).toBe(0);
    expect(JSON.parse(cp.stdout.trim())).toMatchObject({ v: 1, eventId: expect.any(Number), sig: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const ok = await cli(['audit', 'verify', '--checkpoints', dir], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, anchor: { verified: true, checkpoints: 1 } });
    // Another key cannot vouch for the checkpoint: verify says so and exits 1.
    const wrong = await cli(['audit', 'verify', '--checkpoints', dir], { AUDIT_SIGNING_KEY: 'other-key-0123456789abcdef0123456789ab' });
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout).anchor.problems[0].reason).toMatch(/key this installation does not know/);
    const noKey = await cli(['audit', 'checkpoint', '--dir', dir]);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/AUDIT_SIGNING_KEY is not set/);
  });

  it('refuses to open the embedded database while another process holds it', { timeout: 60_000 }, async () => {
    fs.mkdirSync(dataDir, { recursive: true });
    // Another live process holds it (this test's parent; the CLI runs in this very process).
    fs.writeFileSync(path.join(dataDir, 'countersign.lock'), `${process.ppid}\n`);
    try {
      const r = await cli(['db', 'migrate']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/in use by another Countersign process \(pid \d+\)/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      fs.rmSync(path.join(dataDir, 'countersign.lock'), { force: true });
    }
  });

  it('exits with one clear line when DATABASE_URL cannot be reached', { timeout: 60_000 }, async () => {
    const r = await cli(['start'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/countersign' });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^countersign: Cannot reach PostgreSQL at postgres:\/\/nobody@127\.0\.0\.1:1\/countersign: ECONNREFUSED/);
  });

  it('smoke: the real binary starts, prints usage and exits 2 on an unknown command', { timeout: 60_000 }, () => {
    const r = spawnCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown command: frobnicate/);
  });
});
