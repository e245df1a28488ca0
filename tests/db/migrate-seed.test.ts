// A fresh database of either kind migrates cleanly, seeds the demo once, and only once.
import postgres from 'postgres';
import { count, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '@/db/client';
import { changes, incidents, people, services, settings } from '@/db/schema';
import { seedDemo, SeedRefusedError } from '@/db/seed/load';
import { verifyAuditChain } from '@/lib/audit/chain';
import { DRIVERS, uid } from '../support/db';

const opened: DbHandle[] = [];
let dropDb: (() => Promise<void>) | null = null;

async function freshDatabase(driver: 'pglite' | 'postgres'): Promise<DbHandle> {
  if (driver === 'pglite') {
    const h = await openDatabase({ dataDir: 'memory://' });
    opened.push(h);
    return h;
  }
  const base = process.env.DATABASE_URL!;
  const name = `cs_fresh_${uid().replace(/-/g, '_')}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  const h = await openDatabase({ url: u.toString(), max: 4 });
  opened.push(h);
  dropDb = async () => {
    const a = postgres(base, { max: 1, onnotice: () => {} });
    await a.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await a.end();
  };
  return h;
}

afterAll(async () => {
  for (const h of opened) await h.close().catch(() => {});
  await dropDb?.();
});

async function counts(h: DbHandle) {
  const [[p], [s], [c], [i]] = await Promise.all([
    h.db.select({ n: count() }).from(people),
    h.db.select({ n: count() }).from(services),
    h.db.select({ n: count() }).from(changes),
    h.db.select({ n: count() }).from(incidents),
  ]);
  return { people: Number(p!.n), services: Number(s!.n), changes: Number(c!.n), incidents: Number(i!.n) };
}

for (const driver of DRIVERS) {
  describe(`a fresh ${driver} database`, () => {
    it('migrates cleanly twice, seeds Acme Retail once, and keeps a valid audit chain', { timeout: 180_000 }, async () => {
      const h = await freshDatabase(driver);
      await h.migrate();
      await h.migrate();
      const now = new Date();
      const first = await seedDemo(h.db, { demoPasswords: false, now });
      expect(first.seeded).toBe(true);
      const after = await counts(h);
      expect(after.services).toBeGreaterThanOrEqual(25);
      expect(after.people).toBeGreaterThanOrEqual(35);
      expect(after.changes).toBeGreaterThan(1000);
      expect(after.incidents).toBeGreaterThanOrEqual(4);
      const pending = await h.db.select({ n: count() }).from(changes).where(eq(changes.status, 'pending'));
      expect(Number(pending[0]!.n)).toBeGreaterThanOrEqual(30);

      const second = await seedDemo(h.db, { demoPasswords: false, now });
      expect(second.seeded).toBe(false);
      expect(await counts(h)).toEqual(after);

      // Without --demo-passwords nobody can sign in with the demo password.
      const withPassword = await h.db.select({ n: count() }).from(people).where(eq(people.passwordHash, people.passwordHash));
      expect(Number(withPassword[0]!.n)).toBe(0);

      const chain = await verifyAuditChain(h.db);
      expect(chain.ok).toBe(true);
      expect(chain.events).toBeGreaterThan(after.changes);
      const [marker] = await h.db.select().from(settings).where(eq(settings.key, 'demo_seed'));
      expect(marker).toBeDefined();
    });
  });
}

describe('seeding a database that holds another organisation', () => {
  it('refuses without --force and writes nothing', { timeout: 60_000 }, async () => {
    const h = await freshDatabase('pglite');
    await h.migrate();
    await h.db.insert(people).values({ handle: 'someone', name: 'Someone Else', level: 7, role: 'senior' });
    await expect(seedDemo(h.db, { demoPasswords: false })).rejects.toBeInstanceOf(SeedRefusedError);
    expect((await counts(h)).changes).toBe(0);
  });
});
