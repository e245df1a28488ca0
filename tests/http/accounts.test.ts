// Real accounts: an administrator adds a person and sets passwords (typed, or generated and
// answered once); the person signs in with it; setting a password signs them out everywhere;
// nobody but an administrator may do it; a weak password changes nothing; the audit trail
// records it without the password or its hash.
import { and, eq, inArray } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { POST as signIn } from '@/app/api/auth/signin/route';
import { POST as setPassword } from '@/app/api/v1/people/[handle]/password/route';
import { GET as listPeople, POST as addPerson } from '@/app/api/v1/people/route';
import { auditEvents, people, sessions } from '@/db/schema';
import { describeEachDb, uid } from '../support/db';
import { call, sessionFor, tokenFor, type CallOptions } from '../support/http';
import { newPerson } from './sign-off-fixtures';

const PASSWORD = 'a long and unguessable passphrase';

describeEachDb('accounts: people and passwords', ({ handle }) => {
  const db = () => handle().db;

  const signInAs = (email: string, password: string) => call(signIn, '/api/auth/signin', { body: { email, password } });
  const cookieOf = (res: { headers: Headers }) => /cs_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
  const whoAmI = (cookie: string) => call(listPeople, '/api/v1/people', { auth: { cookie } });
  const personRow = async (h: string) => (await db().select().from(people).where(eq(people.handle, h)))[0];
  const eventsOf = (h: string, actions = ['person.created', 'person.password_set']) =>
    db().select().from(auditEvents).where(and(eq(auditEvents.subjectType, 'person'), eq(auditEvents.subjectId, h), inArray(auditEvents.action, actions))).orderBy(auditEvents.id);
  const fresh = () => {
    const h = uid('acct').replace(/[^a-z0-9.-]/g, '');
    return { handle: h, email: `${h}@Example.test` };
  };

  it('adds a person with a typed password who can then sign in; a wrong password is refused', async () => {
    const admin = await sessionFor(db(), 'admin');
    const { handle: h, email } = fresh();
    const res = await call(addPerson, '/api/v1/people', { auth: admin, body: { handle: h, email, name: 'Robin Park', role: 'engineer', level: 6, team: 'payments', password: PASSWORD } });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toEqual({ handle: h, name: 'Robin Park', email, title: null, level: 6, role: 'engineer', team: 'payments', isBot: false, hasPassword: true });
    expect(res.headers.get('cache-control')).toBe('no-store');

    const ok = await signInAs(email.toLowerCase(), PASSWORD);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json.person).toEqual({ handle: h, name: 'Robin Park', role: 'engineer' });
    expect((await whoAmI(cookieOf(ok))).status).toBe(200);
    const wrong = await signInAs(email, `${PASSWORD}.`);
    expect([wrong.status, wrong.json.error.code]).toEqual([401, 'invalid_credentials']);

    const events = await eventsOf(h);
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['person.created', 'admin'],
      ['person.password_set', 'admin'],
    ]);
    expect(events[0]!.payload).toMatchObject({ handle: h, role: 'engineer', level: 6, team: 'payments', isBot: false, passwordSet: true });
    const stored = (await personRow(h))!.passwordHash!;
    for (const e of events) {
      expect(JSON.stringify(e)).not.toContain(PASSWORD);
      expect(JSON.stringify(e)).not.toContain(stored);
      expect(JSON.stringify(e)).not.toContain('scrypt$');
    }
  });

  it('adds a person with a generated password answered once, or with none; the level follows the role by default', async () => {
    const admin = await sessionFor(db(), 'admin');
    const a = fresh();
    const res = await call(addPerson, '/api/v1/people', { auth: admin, body: { handle: a.handle, email: a.email, name: 'Sam Ortiz', role: 'engineer', generatePassword: true } });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ level: 5, role: 'engineer', team: null, hasPassword: true });
    expect(res.json.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect((await signInAs(a.email, res.json.password)).status).toBe(200);
    expect((await eventsOf(a.handle)).map((e) => e.payload)).toEqual([
      expect.objectContaining({ passwordSet: true }),
      { handle: a.handle, generated: true, sessionsEnded: 0 },
    ]);

    const b = fresh();
    const none = await call(addPerson, '/api/v1/people', { auth: admin, body: { handle: b.handle, email: b.email, name: 'No Password Yet', role: 'engineer' } });
    expect(none.status, none.text).toBe(201);
    expect(none.json).toMatchObject({ level: 5, hasPassword: false });
    expect(none.json.password).toBeUndefined();
    expect((await signInAs(b.email, PASSWORD)).status).toBe(401);
    expect((await eventsOf(b.handle)).map((e) => e.action)).toEqual(['person.created']);
  });

  it('refuses a bad new person with a clear reason and adds nothing', async () => {
    const admin = await sessionFor(db(), 'admin');
    const f = fresh();
    // An engineer is added at once (approver accounts wait for a second administrator: integrity-admin.test.ts).
    const base = { handle: f.handle, email: f.email, name: 'Refused Person', role: 'engineer' };
    const add = (body: Record<string, unknown>) => call(addPerson, '/api/v1/people', { auth: admin, body });
    const short = await add({ ...base, password: 'short-pw' });
    expect([short.status, short.json.error.code]).toEqual([400, 'password_too_short']);
    expect((await add({ ...base, password: PASSWORD, generatePassword: true })).json.error.code).toBe('password_or_generate');
    expect([(await add({ ...base, role: 'boss' })).status, (await add({ ...base, level: 3 })).status, (await add({ ...base, email: 'nope' })).status]).toEqual([422, 422, 422]);
    expect((await add({ ...base, team: 'no-such-team' })).json.error.code).toBe('unknown_team');
    expect((await add({ ...base, handle: 'mrossi' })).json.error).toMatchObject({ code: 'handle_taken' });
    const dupEmail = await add({ ...base, email: 'MROSSI@acme-retail.example' });
    expect([dupEmail.status, dupEmail.json.error.code]).toEqual([409, 'email_taken']);
    expect(await personRow(f.handle)).toBeUndefined();
    expect(await eventsOf(f.handle)).toEqual([]);
    // A body with only a handle and a name is still a pipeline account.
    const pipeline = await add({ handle: `ci-${f.handle}`, name: 'Pipeline' });
    expect(pipeline.json).toMatchObject({ isBot: true, level: null });
  });

  it('sets a password: the person is signed out everywhere, the old password stops working and the new one works', async () => {
    const admin = await sessionFor(db(), 'admin');
    // An engineer: an approver's password waits for a second administrator (integrity-admin.test.ts).
    const p = await newPerson(db(), { level: 5, role: 'engineer' });
    const email = `${p.handle}@example.test`;
    const set = (body: unknown, auth: CallOptions['auth'] = admin) => call(setPassword, '/x', { auth, params: { handle: p.handle }, body });

    const first = await set({ password: PASSWORD });
    expect(first.status, first.text).toBe(200);
    expect(first.json).toEqual({ handle: p.handle, name: `Test ${p.handle}`, sessionsEnded: 0 });
    const laptop = cookieOf(await signInAs(email, PASSWORD));
    const phone = await sessionFor(db(), p.handle);
    const token = await tokenFor(db(), p.handle, ['gate:read']);
    expect((await whoAmI(laptop)).status).toBe(200);

    const second = await set({ generate: true });
    expect(second.status, second.text).toBe(200);
    expect(second.json).toMatchObject({ handle: p.handle, sessionsEnded: 2 });
    expect(second.headers.get('cache-control')).toBe('no-store');
    const generated: string = second.json.password;
    expect(generated).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect((await whoAmI(laptop)).status).toBe(401);
    expect((await whoAmI(phone.cookie)).status).toBe(401);
    expect(await db().$count(sessions, eq(sessions.personId, p.id))).toBe(0);
    // API tokens are separate credentials, revoked on /admin/tokens.
    expect((await call(listPeople, '/x', { auth: token })).status).toBe(200);
    expect((await signInAs(email, PASSWORD)).status).toBe(401);
    expect((await signInAs(email, generated)).status).toBe(200);

    // With an admin token instead of a session: no CSRF to send.
    const byToken = await set({ password: `${PASSWORD} again` }, await tokenFor(db(), 'admin', ['admin']));
    expect(byToken.status, byToken.text).toBe(200);
    expect(byToken.json.sessionsEnded).toBe(1);

    const events = await eventsOf(p.handle);
    expect(events.map((e) => [e.action, e.actor, e.payload])).toEqual([
      ['person.password_set', 'admin', { handle: p.handle, generated: false, sessionsEnded: 0 }],
      ['person.password_set', 'admin', { handle: p.handle, generated: true, sessionsEnded: 2 }],
      ['person.password_set', expect.stringMatching(/^admin \(token cs_/), { handle: p.handle, generated: false, sessionsEnded: 1 }],
    ]);
    const text = JSON.stringify(events);
    for (const secret of [PASSWORD, generated, (await personRow(p.handle))!.passwordHash!, 'scrypt$']) expect(text).not.toContain(secret);
  });

  it('refuses a too-short password with 400 and changes nothing: same hash, sessions kept, no event', async () => {
    const admin = await sessionFor(db(), 'admin');
    const p = await newPerson(db(), { level: 6, role: 'engineer' });
    await call(setPassword, '/x', { auth: admin, params: { handle: p.handle }, body: { password: PASSWORD } });
    const theirs = await sessionFor(db(), p.handle);
    const hashBefore = (await personRow(p.handle))!.passwordHash;
    const eventsBefore = (await eventsOf(p.handle)).length;

    for (const [body, code] of [
      [{ password: 'elevenchars' }, 'password_too_short'],
      [{ password: ' '.repeat(20) }, 'password_blank'],
      [{ password: 'x'.repeat(1025) }, 'password_too_long'],
      [{}, 'password_required'],
      [{ password: PASSWORD, generate: true }, 'password_or_generate'],
    ] as const) {
      const res = await call(setPassword, '/x', { auth: admin, params: { handle: p.handle }, body });
      expect([res.status, res.json.error.code], JSON.stringify(body).slice(0, 60)).toEqual([400, code]);
    }
    expect((await call(setPassword, '/x', { auth: admin, params: { handle: p.handle }, body: { password: PASSWORD, colour: 'blue' } })).status).toBe(422);
    expect((await personRow(p.handle))!.passwordHash).toBe(hashBefore);
    expect((await whoAmI(theirs.cookie)).status).toBe(200);
    expect((await eventsOf(p.handle)).length).toBe(eventsBefore);
    expect((await signInAs(`${p.handle}@example.test`, PASSWORD)).status).toBe(200);
  });

  it('lets only an administrator set a password (403 otherwise, 403 without CSRF), never for a bot or someone unknown', async () => {
    const p = await newPerson(db(), { level: 7, role: 'senior' });
    const url = '/x';
    const body = { password: PASSWORD };
    for (const who of ['kchen', 'mrossi', 'cmoore', 'mgrant']) {
      const res = await call(setPassword, url, { auth: await sessionFor(db(), who), params: { handle: p.handle }, body });
      // A session carries its role's scopes, and only an administrator's include admin.
      expect([res.status, res.json.error.code], who).toEqual([403, 'insufficient_scope']);
    }
    const directorToken = await call(setPassword, url, { auth: await tokenFor(db(), 'cmoore', ['audit:read']), params: { handle: p.handle }, body });
    expect([directorToken.status, directorToken.json.error.code]).toEqual([403, 'insufficient_scope']);
    const senior = await sessionFor(db(), 'mrossi');
    const addAsSenior = await call(addPerson, '/api/v1/people', { auth: senior, body: { ...fresh(), name: 'X', role: 'admin', password: PASSWORD } });
    expect(addAsSenior.status).toBe(403);
    const admin = await sessionFor(db(), 'admin');
    const noCsrf = await call(setPassword, url, { auth: { cookie: admin.cookie }, params: { handle: p.handle }, body });
    expect([noCsrf.status, noCsrf.json.error.code]).toEqual([403, 'csrf_failed']);
    expect((await call(setPassword, url, { params: { handle: p.handle }, body })).status).toBe(401);
    expect((await personRow(p.handle))!.passwordHash).toBeNull();
    expect(await eventsOf(p.handle)).toEqual([]);

    const bot = await newPerson(db(), { level: null, role: 'engineer', isBot: true });
    const botRes = await call(setPassword, url, { auth: admin, params: { handle: bot.handle }, body });
    expect([botRes.status, botRes.json.error.code]).toEqual([422, 'bot_has_no_password']);
    expect((await call(setPassword, url, { auth: admin, params: { handle: 'nobody-at-all' }, body })).status).toBe(404);
  });

  it('an administrator setting their own password keeps the session they use and ends their others', async () => {
    const p = await newPerson(db(), { level: 8, role: 'admin' });
    const here = await sessionFor(db(), p.handle);
    const elsewhere = await sessionFor(db(), p.handle);
    const res = await call(setPassword, '/x', { auth: here, params: { handle: p.handle }, body: { password: PASSWORD } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.sessionsEnded).toBe(1);
    expect((await whoAmI(here.cookie)).status).toBe(200);
    expect((await whoAmI(elsewhere.cookie)).status).toBe(401);
  });
});
