// Issue 11 items 3–6 and issue 14 item 3, as exploits over HTTP: password guessing, the public
// demo password, open redirects after sign-in, javascript: URLs, Origin: null, replayed
// deliveries and incident edits by anyone senior. Each failed on main before the fix.
import { resetEnvCache } from '@/lib/env';
import { POST as confirmRoute } from '@/app/api/v1/confirmations/[id]/confirm/route';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterEach, expect, it } from 'vitest';
import { POST as signIn } from '@/app/api/auth/signin/route';
import { POST as submit } from '@/app/api/v1/changes/route';
import { POST as linkRoute } from '@/app/api/v1/incidents/[id]/link/route';
import { POST as recordRoute } from '@/app/api/v1/incidents/route';
import { POST as addPerson } from '@/app/api/v1/people/route';
import { seedDemo, DEMO_PASSWORD } from '@/db/seed/load';
import { auditEvents, authThrottle, deployments, people, services, teams, webhookDeliveries } from '@/db/schema';
import { hashPassword } from '@/lib/auth/password';
import { ACCOUNT_RULE, ADDRESS_RULE } from '@/lib/auth/throttle-rules';
import { clientAddressFrom, PEER_HEADER } from '@/lib/http/client-address';
import { safeNextPath, signInUrlFor } from '@/lib/http/safe-next';
import { runReadyJobs } from '@/lib/jobs/start';
import { describeEachDb, uid } from '../support/db';
import { deliverWebhook, exampleOf, examplesOf, withFakeGithub } from '../support/github-webhooks';
import { call, sessionFor, tokenFor } from '../support/http';
import { newPerson } from './sign-off-fixtures';

const PASSWORD = 'a long and unguessable passphrase';
const SECRET = 'integrity-web-webhook-secret';
const saved = { hops: process.env.TRUSTED_PROXY_HOPS, sre: process.env.INCIDENT_SRE_TEAMS };

afterEach(() => {
  for (const [k, v] of [['TRUSTED_PROXY_HOPS', saved.hops], ['INCIDENT_SRE_TEAMS', saved.sre]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
});

withFakeGithub(SECRET);

describeEachDb('web integrity', ({ handle }) => {
  const db = () => handle().db;
  const signInAs = (email: string, password: string, headers: Record<string, string> = {}) =>
    call(signIn, '/api/auth/signin', { body: { email, password }, headers });

  async function personWithPassword(team: string | null = null) {
    const p = await newPerson(db(), { level: 8, role: 'senior', team });
    await db().update(people).set({ passwordHash: await hashPassword(PASSWORD) }).where(eq(people.id, p.id));
    return { ...p, email: `${p.handle}@example.test` };
  }

  it('locks an account after a few wrong passwords: even the right one then answers 429 with Retry-After, and every failure is audited without the password', async () => {
    const p = await personWithPassword();
    for (let i = 0; i < ACCOUNT_RULE.freeFailures; i++) {
      const wrong = await signInAs(p.email, `${PASSWORD} ${i}`);
      expect([wrong.status, wrong.json.error.code]).toEqual([401, 'invalid_credentials']);
    }
    const right = await signInAs(p.email.toUpperCase(), PASSWORD);
    expect([right.status, right.json.error.code], right.text).toEqual([429, 'too_many_attempts']);
    const retry = Number(right.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(right.json.error.message).toContain(`try again in ${retry} s`);
    expect(right.headers.get('set-cookie')).toBeNull();

    const events = await db().select().from(auditEvents).where(and(eq(auditEvents.subjectId, p.email), inArray(auditEvents.action, ['auth.sign_in_failed', 'auth.sign_in_throttled']))).orderBy(auditEvents.id);
    expect(events.map((e) => e.action)).toEqual([...Array(ACCOUNT_RULE.freeFailures).fill('auth.sign_in_failed'), 'auth.sign_in_throttled']);
    for (const e of events) expect(JSON.stringify(e)).not.toContain(PASSWORD);

    // Lasting across restarts and processes: the lock is a row; when it ends, the right password works and clears the count.
    const [row] = await db().select().from(authThrottle).where(eq(authThrottle.key, `account:${p.email}`));
    expect(row!.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    await db().update(authThrottle).set({ lockedUntil: new Date(Date.now() - 1000) }).where(eq(authThrottle.key, `account:${p.email}`));
    expect((await signInAs(p.email, PASSWORD)).status).toBe(200);
    expect(await db().select().from(authThrottle).where(eq(authThrottle.key, `account:${p.email}`))).toEqual([]);
  });

  it('locks a client address that guesses across many accounts; behind TRUSTED_PROXY_HOPS only the proxy-seen address counts', async () => {
    process.env.TRUSTED_PROXY_HOPS = '1';
    resetEnvCache();
    const p = await personWithPassword();
    const addr = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    await db().delete(authThrottle).where(eq(authThrottle.key, `ip:${addr}`));
    for (let i = 0; i < ADDRESS_RULE.freeFailures; i++) {
      // The client forges the left of X-Forwarded-For differently each time: it does not help.
      const res = await signInAs(`${uid('nobody')}@example.test`, 'guess', { 'x-forwarded-for': `10.0.0.${i}, ${addr}` });
      expect(res.status).toBe(401);
    }
    const blocked = await signInAs(p.email, PASSWORD, { 'x-forwarded-for': `10.9.9.9, ${addr}` });
    expect([blocked.status, blocked.json.error.details.scope]).toEqual([429, 'address']);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await signInAs(p.email, PASSWORD, { 'x-forwarded-for': '192.0.2.1' })).status).toBe(200);
  });

  it('takes the client address from the socket unless proxies are trusted; a forged X-Forwarded-For is ignored', () => {
    const h = (o: Record<string, string>) => new Headers(o);
    expect(clientAddressFrom(h({ 'x-forwarded-for': '6.6.6.6' }), 0, false)).toBeNull();
    expect(clientAddressFrom(h({ 'x-forwarded-for': '6.6.6.6', [PEER_HEADER]: '::ffff:192.0.2.9' }), 0, true)).toBe('192.0.2.9');
    expect(clientAddressFrom(h({ [PEER_HEADER]: '192.0.2.9' }), 0, false)).toBeNull();
    expect(clientAddressFrom(h({ 'x-forwarded-for': '6.6.6.6, 203.0.113.5' }), 1, true)).toBe('203.0.113.5');
    expect(clientAddressFrom(h({ 'x-forwarded-for': '6.6.6.6, 203.0.113.5, 10.0.0.2' }), 2, true)).toBe('203.0.113.5');
    expect(clientAddressFrom(h({ 'x-forwarded-for': '<script>, 203.0.113.5' }), 2, true)).toBeNull();
  });

  it('never hands the public demo password to a person an administrator adds, on any later start', async () => {
    const admin = await sessionFor(db(), 'admin');
    const h = uid('vp').replace(/[^a-z0-9.-]/g, '');
    const asked = await call(addPerson, '/api/v1/people', { auth: admin, body: { handle: h, email: `${h}@example.test`, name: 'New VP', role: 'vp', level: 10 } });
    // An approver account waits for a second administrator (issue 10), who confirms it.
    expect(asked.status, asked.text).toBe(202);
    const confirmed = await call(confirmRoute, '/x', { method: 'POST', auth: await sessionFor(db(), 'admin2'), params: { id: String(asked.json.pending.id) } });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(await db().select().from(people).where(eq(people.handle, h))).toHaveLength(1);
    // A demo person without a password gets it back (the documented demo keeps working).
    await db().update(people).set({ passwordHash: null }).where(eq(people.handle, 'mrossi'));
    await seedDemo(db(), { demoPasswords: true });
    const vp = await signInAs(`${h}@example.test`, DEMO_PASSWORD);
    expect([vp.status, vp.json.error.code]).toEqual([401, 'invalid_credentials']);
    expect((await db().select().from(people).where(eq(people.handle, h)))[0]!.passwordHash).toBeNull();
    expect((await signInAs('mrossi@acme-retail.example', DEMO_PASSWORD)).status).toBe(200);
  });

  it('refuses Origin: null and foreign origins on sign-in with 403 bad_origin, not a 500', async () => {
    const p = await personWithPassword();
    for (const origin of ['null', 'https://evil.example', 'not a url']) {
      const res = await signInAs(p.email, PASSWORD, { origin });
      expect([res.status, res.json?.error?.code], origin).toEqual([403, 'bad_origin']);
    }
    expect((await signInAs(p.email, PASSWORD, { origin: 'http://countersign.test' })).status).toBe(200);
  });

  it('accepts only http(s) change URLs (422 naming url)', async () => {
    const token = await tokenFor(db(), 'ebrandt', ['changes:write']);
    for (const url of ['javascript:alert(document.cookie)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x']) {
      const res = await call(submit, '/api/v1/changes', {
        auth: token,
        body: { externalId: `acme/config-service#${uid('url')}`, repo: 'acme/config-service', title: 'x', services: ['config-service'], kind: 'config', url, diff: 'diff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -1 +1 @@\n-a\n+b\n' },
      });
      expect([res.status, res.json.error.code], url).toEqual([422, 'validation_failed']);
      expect(res.json.error.message).toMatch(/url/);
    }
  });

  it('refuses a GitHub delivery replayed under a new delivery id (409 delivery_replayed); a true redelivery stays a duplicate', async () => {
    const payload = { ...exampleOf('push'), countersign_test: uid('replay') };
    const first = await deliverWebhook('push', payload, { secret: SECRET, delivery: uid('d1') });
    expect(first.status, first.text).toBe(200);
    const again = await deliverWebhook('push', payload, { secret: SECRET, delivery: first.json.delivery });
    expect([again.status, again.json.status]).toEqual([200, 'duplicate']);
    const replay = await deliverWebhook('push', payload, { secret: SECRET, delivery: uid('d2') });
    expect([replay.status, replay.json.error.code]).toEqual([409, 'delivery_replayed']);
  });

  it('refuses a deployment payload that names a change of another repository', async () => {
    const token = await tokenFor(db(), 'ebrandt', ['changes:write']);
    const externalId = `acme/config-service#${uid('dep')}`;
    const made = await call(submit, '/api/v1/changes', {
      auth: token,
      body: { externalId, repo: 'acme/config-service', title: 'A change of config-service', services: ['config-service'], kind: 'config', diff: 'diff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -1 +1 @@\n-a\n+b\n' },
    });
    expect(made.status, made.text).toBe(201);
    const dep = structuredClone(examplesOf('deployment').find((d) => d.deployment.environment === 'production')!);
    dep.repository.full_name = `acme-test/${uid('other')}`;
    dep.deployment.payload = { countersign_change: externalId };
    const delivery = uid('dep');
    expect((await deliverWebhook('deployment', dep, { secret: SECRET, delivery })).status).toBe(202);
    await runReadyJobs(db());
    expect(await db().select().from(deployments).where(eq(deployments.changeId, made.json.id))).toEqual([]);
    const [row] = await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.deliveryId, delivery));
    expect(row!.outcome).toMatch(/belongs to acme\/config-service, not acme-test\//);
  });

  it('limits incident edits to the teams of its services, SRE teams and admins (403 incident_not_yours)', async () => {
    const [svc] = await db().select({ slug: services.slug, team: services.team }).from(services).where(sql`${services.team} is not null`).limit(1);
    const [other] = await db().select({ slug: teams.slug }).from(teams).where(sql`${teams.slug} <> ${svc!.team}`).limit(1);
    const adminToken = await tokenFor(db(), 'admin', ['changes:write']);
    const id = uid('INC');
    const started = new Date(Date.now() - 86_400_000).toISOString();
    const recorded = await call(recordRoute, '/api/v1/incidents', { auth: adminToken, body: { id, title: 'Outage', severity: 'SEV3', started, services: [svc!.slug], impact: 'x' } });
    expect(recorded.status, recorded.text).toBe(201);

    const outsider = await newPerson(db(), { level: 8, role: 'senior', team: other!.slug });
    const outsiderToken = await tokenFor(db(), outsider.handle, ['changes:write']);
    const link = (token: { token: string }) => call(linkRoute, `/api/v1/incidents/${id}/link`, { auth: token, body: { change: null }, params: { id } });
    const refused = await link(outsiderToken);
    expect([refused.status, refused.json.error.code], refused.text).toEqual([403, 'incident_not_yours']);
    const edit = await call(recordRoute, '/api/v1/incidents', { auth: outsiderToken, body: { id, title: 'Not really an outage', severity: 'SEV4', started, services: [svc!.slug], impact: 'x' } });
    expect([edit.status, edit.json.error.code]).toEqual([403, 'incident_not_yours']);

    const owner = await newPerson(db(), { level: 8, role: 'senior', team: svc!.team });
    expect((await link(await tokenFor(db(), owner.handle, ['changes:write']))).status).toBe(200);
    process.env.INCIDENT_SRE_TEAMS = `platform-x, ${other!.slug}`;
    resetEnvCache();
    expect((await link(outsiderToken)).status).toBe(200);
  });
});

it('sends every next= variant to a same-origin path', () => {
  const origin = 'https://countersign.example';
  const hostile = [
    '/%5Cevil.example/phish', '/\\evil.example/phish', '//evil.example', '///evil.example', '/\\\\evil.example', '\\\\evil.example',
    'https://evil.example/x', 'http:evil.example', 'javascript:alert(1)', '/\tevil', '/\n/evil.example', ' //evil.example', '/\u0000/evil.example',
    '%2F%2Fevil.example', '/.//evil.example', '/%09/evil.example', '', '/..//evil.example', 'evil.example',
  ];
  for (const raw of hostile) {
    for (const next of [raw, decodeURIComponent(raw.replace(/%(?![0-9A-Fa-f]{2})/g, '%25'))]) {
      const out = safeNextPath(next);
      expect(out.startsWith('/') && !out.startsWith('//') && !out.includes('\\'), `${JSON.stringify(next)} → ${out}`).toBe(true);
      expect(new URL(out, origin).origin, `${JSON.stringify(next)} → ${out}`).toBe(origin);
    }
  }
  expect(safeNextPath('/changes/3074?tab=diff#files')).toBe('/changes/3074?tab=diff#files');
  expect(signInUrlFor('/changes/3074')).toBe('/signin?next=%2Fchanges%2F3074');
  expect(signInUrlFor('//evil.example')).toBe('/signin');
});
