// Test databases: each worker clones the seeded template once per driver and its test
// files share it. Tests create their own uniquely named data and never assume emptiness.
import fs from 'node:fs';
import postgres from 'postgres';
import { beforeAll, describe, inject } from 'vitest';
import { openDatabase, type DbDriver, type DbHandle } from '@/db/client';
import { setDbHandle } from '@/db';

export const DRIVERS: DbDriver[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

const handles = new Map<DbDriver, Promise<DbHandle>>();

function urlForDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function openClone(driver: DbDriver): Promise<DbHandle> {
  if (driver === 'pglite') {
    const tar = fs.readFileSync(inject('pgliteTemplate'));
    return openDatabase({ dataDir: 'memory://', loadDataDir: new Blob([tar]) });
  }
  const url = process.env.DATABASE_URL!;
  const template = inject('pgTemplateDb')!;
  const name = `${template.replace('cs_tpl_', 'cs_w')}_${process.env.VITEST_POOL_ID ?? '0'}_${process.pid}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  await admin.end();
  return openDatabase({ url: urlForDatabase(url, name), max: 10 });
}

/** The worker's seeded database for a driver, opened on first use. */
export function getTestDb(driver: DbDriver): Promise<DbHandle> {
  let h = handles.get(driver);
  if (!h) {
    h = openClone(driver);
    handles.set(driver, h);
  }
  return h;
}

/** Runs the same suite on every available driver; `use()` also installs it as the app's db. */
export function describeEachDb(name: string, fn: (ctx: { driver: DbDriver; handle: () => DbHandle }) => void): void {
  for (const driver of DRIVERS) {
    describe(`${name} [${driver}]`, () => {
      let current: DbHandle | undefined;
      beforeAll(async () => {
        current = await getTestDb(driver);
        setDbHandle(current);
      });
      fn({
        driver,
        handle: () => {
          if (!current) throw new Error('test database not open yet');
          return current;
        },
      });
    });
  }
}

let counter = 0;
/** A name no other test uses, for data a test creates. */
export function uid(prefix = 't'): string {
  counter += 1;
  return `${prefix}-${process.pid.toString(36)}-${Date.now().toString(36)}-${counter}`;
}
