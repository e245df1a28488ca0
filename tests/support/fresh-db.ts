// A database of its own for a test that breaks what others rely on (tampering with the audit
// trail, cutting its tail): a fresh embedded one, or a fresh one on the PostgreSQL of DATABASE_URL,
// dropped afterwards.
import postgres from 'postgres';
import { openDatabase, type DbHandle } from '@/db/client';

export async function onFreshPglite(story: (h: DbHandle) => Promise<void>): Promise<void> {
  const h = await openDatabase({ dataDir: 'memory://' });
  try {
    await story(h);
  } finally {
    await h.close();
  }
}

export async function onFreshPostgres(prefix: string, story: (h: DbHandle) => Promise<void>): Promise<void> {
  const url = new URL(process.env.DATABASE_URL!);
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const h = await openDatabase({ url: target.toString(), max: 2 });
  try {
    await story(h);
  } finally {
    await h.close();
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}
