// `countersign user create` and `user set-password` as an operator runs them on a real
// deployment: the CLI's main with its exit codes, against a database of their own (an embedded
// one, and PostgreSQL when DATABASE_URL is set); then the person signs in over HTTP.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as signIn } from '@/app/api/auth/signin/route';
import { GET as listPeople } from '@/app/api/v1/people/route';
import { setDbHandle } from '@/db';
import { openDatabase, type DbDriver, type DbHandle } from '@/db/client';
import { auditEvents, people, sessions, teams } from '@/db/schema';
import { createSession } from '@/lib/auth/session';
import { runCli } from '../support/cli';
import { call } from '../support/http';

const DRIVERS: DbDriver[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
const PASSWORD = 'correct horse battery staple';

for (const driver of DRIVERS) {
  describe(`countersign user [${driver}]`, () => {
    let dataDir = '';
    let url = '';
    let dbName = '';

    function cli(args: string[], input?: string) {
      const env = driver === 'pglite' ? { DATABASE_URL: undefined, COUNTERSIGN_DATA_DIR: dataDir } : { DATABASE_URL: url };
      return runCli(args, { env: { ...env, COUNTERSIGN_DEMO: '0', COUNTERSIGN_DEMO_PASSWORDS: '0' }, input });
    }

    /** Opens the database the CLI wrote to (the embedded one only between CLI runs: it has one owner at a time). */
    async function withDb<T>(fn: (h: DbHandle) => Promise<T>): Promise<T> {
      const h = await openDatabase(driver === 'pglite' ? { dataDir } : { url, max: 2 });
      setDbHandle(h);
      try {
        return await fn(h);
      } finally {
        setDbHandle(undefined);
        await h.close();
      }
    }

    const signInAs = (email: string, password: string) => call(signIn, '/api/auth/signin', { body: { email, password } });
    const cookieOf = (res: { headers: Headers }) => /cs_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';

    beforeAll(async () => {
      if (driver === 'pglite') {
        dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-cli-user-'));
      } else {
        dbName = `cs_cli_user_${process.pid}_${Date.now().toString(36)}`;
        const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
        await admin.unsafe(`CREATE DATABASE "${dbName}"`);
        await admin.end();
        const u = new URL(process.env.DATABASE_URL!);
        u.pathname = `/${dbName}`;
        url = u.toString();
      }
      const migrated = await cli(['db', 'migrate']);
      expect(migrated.code, migrated.stderr).toBe(0);
      await withDb((h) => h.db.insert(teams).values({ slug: 'payments', name: 'Payments' }).then(() => undefined));
    }, 180_000);

    afterAll(async () => {
      if (driver === 'pglite') fs.rmSync(dataDir, { recursive: true, force: true });
      else {
        const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
        await admin.unsafe(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
        await admin.end();
      }
    });

    it('refuses bad usage with exit 2 and one clear line, writing nothing', { timeout: 180_000 }, async () => {
      const runs = [
        { args: ['user', 'create', '--handle', 'jdoe', '--email', 'jdoe@example.com', '--role', 'senior'], msg: /--name is required/ },
        { args: ['user', 'create', '--handle', 'jdoe', '--email', 'jdoe@example.com', '--name', 'Jane Doe', '--role', 'boss'], msg: /role: one of engineer, senior, director, vp, admin/ },
        { args: ['user', 'create', '--handle', 'jdoe', '--email', 'jdoe@example.com', '--name', 'Jane Doe', '--role', 'senior', '--level', '11'], msg: /level: 4 to 10/ },
        { args: ['user', 'create', '--handle', 'jdoe', '--email', 'jdoe@example.com', '--name', 'Jane Doe', '--role', 'senior', '--level', 'seven'], msg: /--level must be a whole number/ },
        { args: ['user', 'create', '--handle', 'Jane Doe', '--email', 'jdoe@example.com', '--name', 'Jane Doe', '--role', 'senior'], msg: /handle: 2–63 lower-case letters/ },
        { args: ['user', 'create', '--handle', 'jdoe', '--email', 'not-an-email', '--name', 'Jane Doe', '--role', 'senior'], msg: /email: not an e-mail address/ },
        { args: ['user', 'create', '--handle', 'jdoe', '--colour', 'blue'], msg: /Unknown option '--colour'/ },
        { args: ['user', 'set-password'], msg: /--person <handle\|email> is required/ },
      ];
      for (const r of runs) {
        const res = await cli(r.args);
        expect(res.code, `${r.args.join(' ')}: ${res.stderr}`).toBe(2);
        expect(res.stderr.trim().split('\n'), r.args.join(' ')).toHaveLength(1);
        expect(res.stderr).toMatch(r.msg);
      }
      await withDb(async (h) => expect(await h.db.$count(people)).toBe(0));
    });

    it('creates a person who signs in once given a password from stdin; a wrong password is refused', { timeout: 180_000 }, async () => {
      const created = await cli(['user', 'create', '--handle', 'jdoe', '--email', 'Jane.Doe@Example.com', '--name', 'Jane Doe', '--role', 'senior', '--team', 'payments']);
      expect(created.code, created.stderr).toBe(0);
      expect(created.stdout).toMatch(/Created Jane Doe \(jdoe, Jane\.Doe@Example\.com\): senior, L7, team payments\./);
      expect(created.stdout).toMatch(/countersign user set-password --person jdoe/);

      const again = await cli(['user', 'create', '--handle', 'jdoe', '--email', 'other@example.com', '--name', 'Jane Doe', '--role', 'senior']);
      expect([again.code, again.stderr.trim()]).toEqual([1, 'countersign: Someone already has the handle jdoe.']);
      const sameEmail = await cli(['user', 'create', '--handle', 'jdoe2', '--email', 'jane.doe@example.com', '--name', 'Jane Doe', '--role', 'engineer']);
      expect([sameEmail.code, sameEmail.stderr.trim()]).toEqual([1, 'countersign: Someone already has the e-mail jane.doe@example.com.']);
      const noTeam = await cli(['user', 'create', '--handle', 'jdoe3', '--email', 'j3@example.com', '--name', 'J3', '--role', 'engineer', '--team', 'nope']);
      expect([noTeam.code, noTeam.stderr.trim()]).toEqual([1, 'countersign: Unknown team nope.']);
      const director = await cli(['user', 'create', '--handle', 'dlee', '--email', 'dlee@example.com', '--name', 'Dana Lee', '--role', 'director', '--level', '8']);
      expect(director.code, director.stderr).toBe(0);

      // No password yet: nobody can sign in as them.
      await withDb(async () => expect((await signInAs('jane.doe@example.com', PASSWORD)).status).toBe(401));

      const short = await cli(['user', 'set-password', '--person', 'jdoe', '--password-stdin'], 'too-short\n');
      expect(short.code).toBe(2);
      expect(short.stderr.trim()).toBe('countersign: The password needs at least 12 characters (it has 9). Nothing was changed.');

      const set = await cli(['user', 'set-password', '--person', 'JANE.DOE@example.com', '--password-stdin'], `${PASSWORD}\nignored second line\n`);
      expect(set.code, set.stderr).toBe(0);
      expect(set.stdout).toMatch(/Set the password of Jane Doe \(jdoe, Jane\.Doe@Example\.com\); ended 0 sessions\./);
      expect(set.stdout).not.toContain(PASSWORD);

      await withDb(async (h) => {
        const ok = await signInAs('jane.doe@example.com', PASSWORD);
        expect(ok.status, ok.text).toBe(200);
        expect(ok.json.person).toEqual({ handle: 'jdoe', name: 'Jane Doe', role: 'senior' });
        expect((await call(listPeople, '/api/v1/people', { auth: { cookie: cookieOf(ok) } })).status).toBe(200);
        const wrong = await signInAs('jane.doe@example.com', `${PASSWORD}!`);
        expect([wrong.status, wrong.json.error.code]).toEqual([401, 'invalid_credentials']);
        const [p] = await h.db.select().from(people).where(eq(people.handle, 'jdoe'));
        expect(p).toMatchObject({ level: 7, role: 'senior', team: 'payments', isBot: false });
        expect(p!.passwordHash).toMatch(/^scrypt\$/);
        const [d] = await h.db.select().from(people).where(eq(people.handle, 'dlee'));
        expect(d).toMatchObject({ level: 8, role: 'director', passwordHash: null });
      });
    });

    it('generates a password printed once as the last line, and ends the person’s sessions', { timeout: 180_000 }, async () => {
      const before = await withDb(async (h) => {
        const [p] = await h.db.select().from(people).where(eq(people.handle, 'jdoe'));
        await createSession(h.db, p!.id, {});
        await createSession(h.db, p!.id, {});
        return { id: p!.id, sessions: await h.db.$count(sessions, eq(sessions.personId, p!.id)) };
      });
      expect(before.sessions).toBeGreaterThanOrEqual(2);

      const res = await cli(['user', 'set-password', '--person', 'jdoe']);
      expect(res.code, res.stderr).toBe(0);
      const lines = res.stdout.trim().split('\n');
      const generated = lines.at(-1)!;
      expect(generated).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(lines.at(-2)).toBe('It is shown only once:');
      expect(res.stdout).toContain(`ended ${before.sessions} sessions`);

      await withDb(async (h) => {
        expect(await h.db.$count(sessions, eq(sessions.personId, before.id))).toBe(0);
        expect((await signInAs('jane.doe@example.com', PASSWORD)).status).toBe(401);
        expect((await signInAs('jane.doe@example.com', generated)).status).toBe(200);

        // Audited as the operator's command line, never with the password or its hash.
        const events = await h.db.select().from(auditEvents).where(and(eq(auditEvents.subjectType, 'person'), eq(auditEvents.subjectId, 'jdoe'))).orderBy(auditEvents.id);
        expect(events.map((e) => [e.action, e.actor, e.actorId])).toEqual([
          ['person.created', 'cli', null],
          ['person.password_set', 'cli', null],
          ['auth.signed_in', 'jdoe', before.id],
          ['person.password_set', 'cli', null],
          ['auth.signed_in', 'jdoe', before.id],
        ]);
        expect(events[0]!.payload).toMatchObject({ handle: 'jdoe', email: 'Jane.Doe@Example.com', role: 'senior', level: 7, team: 'payments', isBot: false, passwordSet: false });
        expect(events[1]!.payload).toEqual({ handle: 'jdoe', generated: false, sessionsEnded: 0 });
        expect(events[3]!.payload).toEqual({ handle: 'jdoe', generated: true, sessionsEnded: before.sessions });
        const [p] = await h.db.select().from(people).where(eq(people.handle, 'jdoe'));
        const text = JSON.stringify(events);
        for (const secret of [PASSWORD, generated, p!.passwordHash!, 'scrypt$']) expect(text).not.toContain(secret);
      });
    });

    it('refuses a person it does not know (exit 1) and a bot, which never has a password', { timeout: 180_000 }, async () => {
      await withDb((h) => h.db.insert(people).values({ handle: 'deploy-bot', name: 'Deploy bot', isBot: true, level: null }).then(() => undefined));
      const unknown = await cli(['user', 'set-password', '--person', 'nobody']);
      expect([unknown.code, unknown.stderr.trim()]).toEqual([1, 'countersign: Person nobody not found.']);
      const bot = await cli(['user', 'set-password', '--person', 'deploy-bot']);
      expect(bot.code).toBe(1);
      expect(bot.stderr).toMatch(/deploy-bot is a bot or pipeline account/);
      expect(bot.stdout).toBe('');
    });
  });
}
