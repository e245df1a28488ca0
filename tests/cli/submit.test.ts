// The pipeline's command line against "the server": the CLI's main over real HTTP. A diff from
// stdin, an idempotent retry, the server's refusal printed with a non-zero exit, usage errors;
// the catalog and incident imports through the server.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { POST as importCatalog } from '@/app/api/v1/catalog/import/route';
import { POST as submitRoute } from '@/app/api/v1/changes/route';
import { POST as importIncidents } from '@/app/api/v1/incidents/import/route';
import { changes, changeServices, incidents, people, revisions, services } from '@/db/schema';
import { runCli, type CliResult } from '../support/cli';
import { describeEachDb, uid } from '../support/db';
import { tokenFor } from '../support/http';
import { serveRoutes, type RouteServer } from '../support/route-server';

const root = path.resolve(__dirname, '../..');
const DIFF = fs.readFileSync(path.join(root, 'tests/fixtures/diffs/crafted-config-service-push.diff'), 'utf8');

/** The environment of a pipeline step: no token, no GitHub actor (CI may set one) unless a test gives them. */
function cliEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  // Never the database: these commands must go through the server.
  return { COUNTERSIGN_TOKEN: undefined, COUNTERSIGN_URL: undefined, GITHUB_ACTOR: undefined, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', ...extra };
}

function cli(args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return runCli(args, { input: opts.stdin ?? '', env: cliEnv(opts.env) });
}

/** A pipeline step `git diff main... | countersign submit …`: the diff git prints, piped into the command. */
function pipedFromGit(dir: string, args: string[], env: Record<string, string>): Promise<CliResult> {
  const diff = execFileSync('git', ['diff', 'main...'], { cwd: dir, encoding: 'utf8' });
  return cli(args, { stdin: diff, env });
}

/** A git repository with a `main` branch and a `feature` branch that changes a config file. */
function gitRepo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-cli-git-'));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Pipeline', '-c', 'user.email=ci@acme-retail.example', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, stdio: 'pipe' });
  git('init', '-q');
  git('checkout', '-q', '-b', 'main');
  fs.mkdirSync(path.join(dir, 'config'));
  fs.writeFileSync(path.join(dir, 'config/checkout.yaml'), 'payments:\n  retry_timeout_ms: 3000\n  max_retries: 3\n');
  git('add', '.');
  git('commit', '-q', '-m', 'checkout config');
  git('checkout', '-q', '-b', 'feature');
  fs.writeFileSync(path.join(dir, 'config/checkout.yaml'), 'payments:\n  retry_timeout_ms: 500\n  max_retries: 3\n');
  git('commit', '-q', '-am', 'Lower the payment retry timeout');
  return dir;
}

let server: RouteServer;

beforeAll(async () => {
  server = await serveRoutes({ 'POST /api/v1/changes': submitRoute, 'POST /api/v1/catalog/import': importCatalog, 'POST /api/v1/incidents/import': importIncidents });
});
afterAll(() => server.close());

describeEachDb('countersign submit', ({ handle }) => {
  it('submits a diff from stdin, prints risk, approvals and the link; a retry records no new revision; claiming validation does', { timeout: 60_000 }, async () => {
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

    const again = await cli([...args, '--token', token], { stdin: DIFF });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/unchanged \(same content: no new revision\)/);
    // Claiming pre-deploy validation lowers what the gate asks for: a new revision, so earlier approvals stop counting.
    const validated = await cli([...args, '--token', token, '--predeploy-validated'], { stdin: DIFF });
    expect(validated.code, validated.stderr).toBe(0);
    expect(validated.stdout).toMatch(/revised \(revision 2\)/);
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
    expect(missing.stderr).toMatch(/Missing --external-id, --service \(see countersign submit --help\)/);
    const down = await cli(['submit', '--external-id', 'x/y#1', '--title', 't', '--service', 's', '--author', 'a', '--diff', diffFile, '--url', 'http://127.0.0.1:9', '--token', token]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/Cannot reach Countersign at http:\/\/127\.0\.0\.1:9/);
  });

  it('runs the issue’s example as written: `git diff main... | countersign submit --diff -`, no --author — the token’s owner is the author', { timeout: 60_000 }, async () => {
    const db = handle().db;
    const { token } = await tokenFor(db, 'ebrandt', ['changes:write']);
    const dir = gitRepo();
    try {
      const step = ['submit', '--external-id', 'org/repo#123', '--title', 'Lower the payment retry timeout', '--service', 'checkout', '--kind', 'config', '--ai', 'agent', '--ai-tool', 'kiro', '--diff', '-'];
      const run = await pipedFromGit(dir, step, { COUNTERSIGN_URL: server.url, COUNTERSIGN_TOKEN: token });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^Change #(\d+) org\/repo#123 recorded\n {2}Author: {4}ebrandt \(the token’s owner: no --author given\)\n/);
      expect(run.stdout).toMatch(/Risk: +\d+ (low|medium|high|critical)/);
      const [row] = await db.select().from(changes).where(eq(changes.externalId, 'org/repo#123'));
      const [ebrandt] = await db.select().from(people).where(eq(people.handle, 'ebrandt'));
      expect(row).toMatchObject({ authorId: ebrandt!.id, repo: 'org/repo', title: 'Lower the payment retry timeout', kind: 'config', aiLevel: 'agent', aiTool: 'kiro', source: 'cli' });
      const [rev] = await db.select().from(revisions).where(eq(revisions.id, row!.currentRevisionId!));
      expect(rev!.diff).toContain('-  retry_timeout_ms: 3000\n+  retry_timeout_ms: 500');
      expect(await db.select({ slug: services.slug }).from(changeServices).innerJoin(services, eq(services.id, changeServices.serviceId)).where(eq(changeServices.changeId, row!.id))).toEqual([{ slug: 'checkout' }]);

      // The same step again: the change keeps its author.
      const again = await pipedFromGit(dir, step, { COUNTERSIGN_URL: server.url, COUNTERSIGN_TOKEN: token });
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/unchanged \(same content: no new revision\)\n {2}Author: {4}ebrandt \(as recorded: no --author given\)/);
      // Someone else's token may not send it: refused on one line, nothing changes.
      const other = (await tokenFor(db, 'kchen', ['changes:write'])).token;
      const taken = await pipedFromGit(dir, step, { COUNTERSIGN_URL: server.url, COUNTERSIGN_TOKEN: other });
      expect(taken.code).toBe(1);
      expect(taken.stderr).toMatch(/^countersign: Change org\/repo#123 was submitted by someone else: only ebrandt may update it\..*\(403 not_submitter\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a pipeline account takes the author from GITHUB_ACTOR (a handle or GitHub login) when no --author is given; --author wins; an unknown actor or a person\'s token is a clear refusal', { timeout: 60_000 }, async () => {
    const db = handle().db;
    const { token } = await tokenFor(db, 'dependabot[bot]', ['changes:write']);
    const env = (actor: string) => ({ COUNTERSIGN_URL: server.url, COUNTERSIGN_TOKEN: token, GITHUB_ACTOR: actor });
    const args = (id: string, ...more: string[]) => ['submit', '--external-id', id, '--title', 'Tighten the breaker', '--service', 'config-service', '--kind', 'config', ...more, '--diff', '-'];
    const authorOf = async (externalId: string) =>
      (await db.select({ handle: people.handle }).from(changes).innerJoin(people, eq(people.id, changes.authorId)).where(eq(changes.externalId, externalId)))[0]?.handle;

    const fromActor = `acme/config-service#${uid('actor')}`;
    const a = await cli(args(fromActor), { stdin: DIFF, env: env('mrossi-acme') });
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toContain('Author:    mrossi (from GITHUB_ACTOR)');
    expect(await authorOf(fromActor)).toBe('mrossi');

    const explicit = `acme/config-service#${uid('explicit')}`;
    const b = await cli(args(explicit, '--author', 'kchen'), { stdin: DIFF, env: env('mrossi-acme') });
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toMatch(/Author: {4}kchen\n/);
    expect(await authorOf(explicit)).toBe('kchen');

    const unknown = `acme/config-service#${uid('bot')}`;
    const c = await cli(args(unknown), { stdin: DIFF, env: env('renovate[bot]') });
    expect(c.code).toBe(1);
    expect(c.stderr.trim().split('\n')).toHaveLength(1);
    expect(c.stderr).toMatch(/^countersign: Unknown person: renovate\[bot\]\..*\(422 unknown_person\) The author renovate\[bot\] came from GITHUB_ACTOR: pass --author <handle>/);
    expect(await authorOf(unknown)).toBeUndefined();

    // A person's token may not submit for the GitHub actor.
    const personal = (await tokenFor(db, 'ebrandt', ['changes:write'])).token;
    const mine = `acme/config-service#${uid('person')}`;
    const d = await cli(args(mine), { stdin: DIFF, env: { ...env('mrossi-acme'), COUNTERSIGN_TOKEN: personal } });
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/\(403 author_not_caller\) The author mrossi-acme came from GITHUB_ACTOR: use the pipeline account's token, or pass --author <your handle>\./);
    expect(await authorOf(mine)).toBeUndefined();
  });

  it('imports a catalog and an incident file through the server', { timeout: 60_000 }, async () => {
    const db = handle().db;
    const admin = (await tokenFor(db, 'admin', ['admin', 'changes:write'])).token;
    const s = uid('clicat');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-cli-'));
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
