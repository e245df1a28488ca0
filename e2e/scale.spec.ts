// Two app instances on one PostgreSQL: a catalog import on one is seen by the other's blast radius
// at once — no sleep, no polling — because every graph read checks the catalog version in the
// database (the NOTIFY only warms caches). Instance A is the e2e main server; instance B is a second
// `next start` of the same build on the same database, started here. PostgreSQL only: the embedded
// database belongs to one process.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { MAIN_URL } from '../playwright.config';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PORT = Number(process.env.E2E_PORT_BASE || 3100);
const B_PORT = PORT + 7;
const B_URL = `http://127.0.0.1:${B_PORT}`;

/** The database the e2e main server runs on (scripts/e2e-server.mjs names it so). */
function mainDatabaseUrl(): string {
  const base = new URL(process.env.DATABASE_URL!);
  const url = new URL(base);
  url.pathname = `/${base.pathname.slice(1) || 'countersign'}_e2e_${PORT}`;
  return url.toString();
}

test.describe('two app instances on one database', () => {
  test.skip(!process.env.DATABASE_URL, 'PostgreSQL only: set DATABASE_URL (two processes cannot share the embedded database)');
  test.describe.configure({ mode: 'serial' });

  let instanceB: ChildProcess | null = null;
  let token = '';

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    const env = { ...process.env, DATABASE_URL: mainDatabaseUrl(), NODE_ENV: 'production', PORT: String(B_PORT), COUNTERSIGN_DEMO: '0' } as NodeJS.ProcessEnv;
    // An admin token (catalog import, change submission), made with the command line as an operator would.
    const out = execFileSync(process.execPath, [path.join(root, 'bin/countersign.mjs'), 'token', 'create', '--person', 'admin', '--scope', 'admin', '--scope', 'changes:write', '--name', 'e2e scale'], { cwd: root, env, encoding: 'utf8' });
    token = out.trim().split('\n').at(-1)!.trim();
    expect(token).toMatch(/^cs_/);
    instanceB = spawn(process.execPath, [path.join(root, 'node_modules/next/dist/bin/next'), 'start', '-p', String(B_PORT), '-H', '127.0.0.1'], { cwd: root, env, stdio: 'ignore', detached: true });
    const deadline = Date.now() + 90_000;
    for (;;) {
      try {
        if ((await fetch(`${B_URL}/api/health`)).ok) break;
      } catch {
        /* not up yet */
      }
      if (Date.now() > deadline) throw new Error(`instance B did not start on ${B_URL}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  test.afterAll(() => {
    if (instanceB?.pid) {
      try {
        process.kill(-instanceB.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
  });

  const auth = () => ({ authorization: `Bearer ${token}` });

  async function importCatalog(request: APIRequestContext, base: string, yaml: string, source: string) {
    const res = await request.post(`${base}/api/v1/catalog/import`, { headers: auth(), data: { yaml, source } });
    expect(res.status(), await res.text()).toBe(200);
    return res.json() as Promise<{ edges: { added: [string, string][] }; rescored: { id: number }[] }>;
  }

  async function submit(request: APIRequestContext, base: string, externalId: string, service: string) {
    const res = await request.post(`${base}/api/v1/changes`, {
      headers: auth(),
      data: {
        externalId, title: `Raise the pool size of ${service}`, author: 'admin', services: [service], kind: 'config', ai: { level: 'none' },
        environment: 'production', validation: { preDeploy: true },
        diff: `diff --git a/config/pool.yaml b/config/pool.yaml\n--- a/config/pool.yaml\n+++ b/config/pool.yaml\n@@ -1,2 +1,2 @@\n pool:\n-  size: 10\n+  size: 20\n`,
      },
    });
    expect(res.status(), await res.text()).toBeLessThan(300);
    return res.json() as Promise<{ id: number }>;
  }

  async function detail(request: APIRequestContext, base: string, id: number) {
    const res = await request.get(`${base}/api/v1/changes/${id}`, { headers: auth() });
    expect(res.status()).toBe(200);
    return res.json() as Promise<{ blastRadius: { total: number; services: { slug: string; depth: number }[]; edges: { from: string; to: string }[] } }>;
  }

  test('a catalog import on instance A is in instance B’s blast radius on the very next request', async ({ request }) => {
    const s = `${Date.now().toString(36)}${process.pid.toString(36)}`;
    const core = `scale-core-${s}`;
    const shop = `scale-shop-${s}`;
    const entity = (name: string, tier: number, dependsOn: string[] = []) =>
      `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\n  annotations:\n    countersign.dev/tier: "${tier}"\nspec:\n  type: service\n  lifecycle: production\n  owner: core-platform\n${dependsOn.length ? `  dependsOn:\n${dependsOn.map((d) => `    - component:${d}\n`).join('')}` : ''}`;
    const source = `e2e-scale-${s}`;

    // Both services exist, nothing depends on core yet: B builds its graph at this version.
    await importCatalog(request, MAIN_URL, `${entity(core, 2)}---\n${entity(shop, 1)}`, source);
    const first = await submit(request, B_URL, `e2e/scale#${s}-1`, core);
    expect((await detail(request, B_URL, first.id)).blastRadius.total).toBe(0);

    // On A: shop now depends on core. A re-scores the open change in the import's transaction.
    const report = await importCatalog(request, MAIN_URL, `${entity(core, 2)}---\n${entity(shop, 1, [core])}`, source);
    expect(report.edges.added).toEqual([[shop, core]]);
    expect(report.rescored.map((r) => r.id)).toContain(first.id);

    // On B, at once: the stored blast radius (written by A) and B's own graph (the edges) agree.
    const seen = await detail(request, B_URL, first.id);
    expect(seen.blastRadius.services).toEqual([expect.objectContaining({ slug: shop, depth: 1 })]);
    expect(seen.blastRadius.edges).toContainEqual({ from: core, to: shop });
    // A change submitted on B is assessed with B's graph: it must already know the new edge.
    const second = await submit(request, B_URL, `e2e/scale#${s}-2`, core);
    const fresh = await detail(request, B_URL, second.id);
    expect(fresh.blastRadius.total).toBe(1);
    expect(fresh.blastRadius.services[0]).toMatchObject({ slug: shop, depth: 1 });

    // And back: removing the edge on A is just as visible on B.
    await importCatalog(request, MAIN_URL, `${entity(core, 2)}---\n${entity(shop, 1)}`, source);
    const third = await submit(request, B_URL, `e2e/scale#${s}-3`, core);
    expect((await detail(request, B_URL, third.id)).blastRadius.total).toBe(0);
    expect((await detail(request, B_URL, first.id)).blastRadius.edges).toEqual([]);
  });
});
