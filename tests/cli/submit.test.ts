// The pipeline's command line against "the server": real processes over real HTTP. A diff from
// stdin, an idempotent retry, the server's refusal printed with a non-zero exit, usage errors;
// the catalog and incident imports through the server.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { POST as importCatalog } from '@/app/api/v1/catalog/import/route';
import { POST as submitRoute } from '@/app/api/v1/changes/route';
import { POST as importIncidents } from '@/app/api/v1/incidents/import/route';
import { changes, incidents } from '@/db/schema';
import { describeEachDb, uid } from '../support/db';
import { tokenFor } from '../support/http';
import { serveRoutes, type RouteServer } from '../support/route-server';

const root = path.resolve(__dirname, '../..');
const DIFF = fs.readFileSync(path.join(root, 'tests/fixtures/diffs/crafted-config-service-push.diff'), 'utf8');

function cli(args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, ...opts.env };
    delete env.COUNTERSIGN_TOKEN;
    // Never the database: these commands must go through the server.
    env.DATABASE_URL = 'postgres://nobody@127.0.0.1:1/none';
    const child = spawn(process.execPath, [path.join(root, 'bin/countersign.mjs'), ...args], { cwd: root, env: { ...env, ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.stdin ?? '');
  });
}

let server: RouteServer;

beforeAll(async () => {
  server = await serveRoutes({ 'POST /api/v1/changes': submitRoute, 'POST /api/v1/catalog/import': importCatalog, 'POST /api/v1/incidents/import': importIncidents });
});
afterAll(() => server.close());

describeEachDb('countersign submit', ({ handle }) => {
  it('submits a diff from stdin, prints risk, approvals and the link; a retry records no new revision', { timeout: 60_000 }, async () => {
    const { token } = await tokenFor(handle().db, 'ebrandt', ['changes:write']);
    const id = `acme/config-service#${uid('cli')}`;
    const args = ['submit', '--external-id', id, '--title', 'Tighten the breaker', '--service', 'config-service', '--kind', 'config', '--ai', 'agent', '--ai-tool', 'kiro', '--author', 'ebrandt', '--diff', '-', '--url', server.url];
    const first = await cli(args, { stdin: DIFF, env: { COUNTERSIGN_TOKEN: token } });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^Change #(\\d+) ${id.replace(/[#/]/g, '\\$&')} recorded`));
    expect(first.stdout).toMatch(/Risk: +\d+ (high|critical)/);
    expect(first.stdout).toMatch(/Approvals: 0 of 2 required/);
    const changeId = Number(/#(\d+)/.exec(first.stdout)![1]);
    expect(first.stdout).toContain(`${server.url}/changes/${changeId}`);
    const [row] = await handle().db.select().from(changes).where(eq(changes.id, changeId));
    expect(row).toMatchObject({ source: 'cli', aiLevel: 'agent', aiTool: 'kiro', repo: 'acme/config-service', preDeployValidation: null });

    const again = await cli([...args, '--token', token, '--predeploy-validated'], { stdin: DIFF });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/unchanged \(same content: no new revision\)/);
    const [after] = await handle().db.select().from(changes).where(eq(changes.id, changeId));
    expect(after!.preDeployValidation).toBe(true);
  });

  it('prints the server’s refusal on one line and exits 1; usage errors exit 2', { timeout: 60_000 }, async () => {
    const { token } = await tokenFor(handle().db, 'ebrandt', ['changes:write']);
    const diffFile = path.join(root, 'tests/fixtures/diffs/crafted-readme-typo.diff');
    const refused = await cli(['submit', '--external-id', `x/y#${uid()}`, '--title', 't', '--service', 'no-such-service', '--author', 'ebrandt', '--diff', diffFile, '--url', server.url, '--token', token]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/^countersign: Unknown service no-such-service: import it into the catalog first\. \(422 unknown_service\)/);
    const noToken = await cli(['submit', '--external-id', 'x/y#1', '--title', 't', '--service', 's', '--author', 'a', '--diff', diffFile, '--url', server.url]);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/No API token/);
    const missing = await cli(['submit', '--title', 't', '--diff', diffFile, '--token', token]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Missing --external-id, --author, --service/);
    const down = await cli(['submit', '--external-id', 'x/y#1', '--title', 't', '--service', 's', '--author', 'a', '--diff', diffFile, '--url', 'http://127.0.0.1:9', '--token', token]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/Cannot reach Countersign at http:\/\/127\.0\.0\.1:9/);
  });

  it('imports a catalog and an incident file through the server', { timeout: 60_000 }, async () => {
    const db = handle().db;
    const admin = (await tokenFor(db, 'admin', ['admin', 'changes:write'])).token;
    const s = uid('clicat');
    const dir = fs.mkdtempSync(path.join(root, 'test-results', 'cli-'));
    try {
      const yaml = `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${s}\n  annotations:\n    countersign.dev/tier: "3"\nspec:\n  type: service\n  owner: sre\n---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: Bad Name\n`;
      fs.writeFileSync(path.join(dir, 'catalog-info.yaml'), yaml);
      const cat = await cli(['catalog', 'import', path.join(dir, 'catalog-info.yaml'), '--url', server.url, '--token', admin]);
      expect(cat.code, cat.stderr).toBe(0);
      expect(cat.stdout).toMatch(/Services: 1 added, 0 changed, 0 removed/);
      expect(cat.stdout).toContain(`+ ${s}`);
      expect(cat.stdout).toMatch(/line 14 component:Bad Name: metadata.name "Bad Name" is not a valid name/);

      const csv = `id,title,severity,started,services\n${s}-1,Search slow,SEV3,2026-01-05T10:00:00Z,${s}\n${s}-2,Broken,SEV9,2026-01-05T10:00:00Z,${s}\n`;
      fs.writeFileSync(path.join(dir, 'incidents.csv'), csv);
      const inc = await cli(['incidents', 'import', path.join(dir, 'incidents.csv'), '--url', server.url, '--token', admin]);
      expect(inc.code).toBe(1);
      expect(inc.stdout).toMatch(/Incidents: 1 recorded, 0 updated, 0 unchanged/);
      expect(inc.stderr).toMatch(/line 3 \(.*-2\): severity: severity must be SEV1–SEV4/);
      expect(await db.select().from(incidents).where(eq(incidents.externalId, `${s}-1`))).toHaveLength(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
