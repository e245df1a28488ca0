// `countersign gate` as a pipeline runs it: the CLI's main talking HTTP to the real route
// handler (served here by a tiny node:http adapter on 127.0.0.1), with its exit codes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as gateRoute } from '@/app/api/v1/gate/route';
import { parseDuration } from '@/scripts/cli/commands/gate';
import { setDbHandle } from '@/db';
import type { DbHandle } from '@/db/client';
import { runCli, type CliResult } from '../support/cli';
import { getTestDb } from '../support/db';
import { approve, newChange, tokenOf } from '../http/sign-off-fixtures';

/** Serves GET /api/v1/gate with the route handler, the way Next.js would call it. */
function serveGate(): Promise<http.Server> {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/api/v1/gate' || req.method !== 'GET') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"not_found","message":"Not found."}}');
      return;
    }
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const response = await gateRoute(new Request(`http://127.0.0.1${req.url}`, { headers }), { params: Promise.resolve({}) });
    res.writeHead(response.status, Object.fromEntries(response.headers)).end(await response.text());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

interface CliRun {
  done: Promise<CliResult>;
  /** Resolves once the output so far contains the text. */
  printed(text: string): Promise<void>;
}

function start(args: string[], env: Record<string, string | undefined> = {}): CliRun {
  let stdout = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  // Asynchronous: the server answering it lives in this very process.
  const done = runCli(['gate', ...args], {
    env: { DATABASE_URL: undefined, ...(!('COUNTERSIGN_TOKEN' in env) ? { COUNTERSIGN_TOKEN: undefined } : {}), ...env },
    onStdout: (soFar) => {
      stdout = soFar;
      for (const w of waiters.filter((x) => stdout.includes(x.text))) w.resolve();
    },
  });
  return {
    done,
    printed: (text) => (stdout.includes(text) ? Promise.resolve() : new Promise((resolve) => waiters.push({ text, resolve }))),
  };
}

const cli = (args: string[], env: Record<string, string | undefined> = {}) => start(args, env).done;

it('reads durations the way pipelines write them', () => {
  expect(parseDuration('30m', '--timeout')).toBe(1_800_000);
  expect(parseDuration('90s', '--timeout')).toBe(90_000);
  expect(parseDuration('2h', '--timeout')).toBe(7_200_000);
  expect(parseDuration('45', '--timeout')).toBe(45_000);
  expect(() => parseDuration('soon', '--timeout')).toThrow(/duration such as 30m/);
});

// One database is enough here: the CLI only speaks HTTP, and the route runs on both drivers in tests/http.
describe('countersign gate', () => {
  let server: http.Server;
  let url: string;
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await getTestDb('pglite');
    setDbHandle(handle);
    server = await serveGate();
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  const db = () => handle.db;

  it('prints the decision and its reasons in words: exit 1 blocked, then exit 0 once two seniors approved', { timeout: 180_000 }, async () => {
    const c = await newChange(db());
    const { token } = await tokenOf(db(), 'admin', ['gate:read']);
    const blocked = await cli(['--change', c.externalId, '--environment', 'production', '--url', url, '--token', token]);
    expect(blocked.code, blocked.stderr).toBe(1);
    expect(blocked.stdout).toContain(`✗ BLOCKED  ${c.externalId} (#${c.id} r1 ${c.sha.slice(0, 12)}) → production  ·  approvals 0 of 2`);
    expect(blocked.stdout).toContain('Not enough valid approvals on the current revision. (approvals_missing)');

    await approve(db(), 'mrossi', c);
    await approve(db(), 'sahmed', c);
    const allowed = await cli(['--change', String(c.id), '--url', url], { COUNTERSIGN_TOKEN: token });
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toMatch(/✓ ALLOWED .* approvals 2 of 2/);
    expect(allowed.stdout).toContain('Approved by the required reviewers. (approved)');

    const json = await cli(['--change', String(c.id), '--url', url, '--token', token, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout.trim())).toMatchObject({ allowed: true, reasons: ['approved'], approvals: { required: 2, valid: 2 } });
    expect(allowed.stdout).toContain('(commit_unverified)');

    // --commit binds the answer to the artifact: a commit that is not the revision's is blocked.
    const other = 'ab'.repeat(20);
    const wrong = await cli(['--change', String(c.id), '--commit', other, '--url', url, '--token', token]);
    expect(wrong.code, wrong.stderr).toBe(1);
    expect(wrong.stdout).toContain(`Commit ${other} is not a commit of the current revision`);
    expect(wrong.stdout).toContain('(commit_not_approved)');
    const bad = await cli(['--change', String(c.id), '--commit', 'HEAD', '--url', url, '--token', token]);
    expect(bad.code).toBe(2);
  });

  it('--wait keeps asking until the change is allowed', { timeout: 180_000 }, async () => {
    const c = await newChange(db());
    const { token } = await tokenOf(db(), 'admin', ['gate:read']);
    const waiting = start(['--change', c.externalId, '--wait', '--timeout', '90s', '--interval', '300ms', '--url', url, '--token', token]);
    await waiting.printed('✗ BLOCKED');
    await approve(db(), 'mrossi', c);
    await approve(db(), 'jwhitaker', c);
    const r = await waiting.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Waiting up to 90s/);
    expect(r.stdout).toMatch(/✗ BLOCKED[\s\S]*✓ ALLOWED/);
  });

  it('--wait gives up after --timeout with exit 1; an unknown change is blocked', { timeout: 180_000 }, async () => {
    const c = await newChange(db());
    const { token } = await tokenOf(db(), 'admin', ['gate:read']);
    const t0 = Date.now();
    const r = await cli(['--change', String(c.id), '--wait', '--timeout', '2s', '--interval', '500ms', '--url', url, '--token', token]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Timed out after 2s: still blocked.');
    expect(Date.now() - t0).toBeLessThan(30_000);
    const unknown = await cli(['--change', 'acme/nothing#0', '--url', url, '--token', token]);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toContain('(unknown_change)');
  });

  it('exits 2 on usage and token errors, 1 when the server cannot be reached', { timeout: 180_000 }, async () => {
    const { token } = await tokenOf(db(), 'admin', ['gate:read']);
    const noChange = await cli(['--url', url, '--token', token]);
    expect([noChange.code, noChange.stderr.trim()]).toEqual([2, 'countersign: --change <id|externalId> is required (or --repo <owner/name> with --commit <sha>).']);
    const noToken = await cli(['--change', '1', '--url', url]);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/--token <token> or COUNTERSIGN_TOKEN/);
    const badToken = await cli(['--change', '1', '--url', url, '--token', 'cs_wrong']);
    expect(badToken.code).toBe(2);
    expect(badToken.stderr).toMatch(/refused the token/);
    const { token: noScope } = await tokenOf(db(), 'admin', ['changes:write']);
    const scope = await cli(['--change', '1', '--url', url, '--token', noScope]);
    expect(scope.code).toBe(2);
    expect(scope.stderr).toMatch(/gate:read/);
    const down = await cli(['--change', '1', '--url', 'http://127.0.0.1:9', '--token', token]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot reach Countersign at http:\/\/127\.0\.0\.1:9 .*blocked/);
  });
});
