// Once per test run: build one migrated, demo-seeded database per driver, which every
// worker clones (PGlite: a dumped data directory; PostgreSQL: a template database).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../db/client';
import { SEED_NOW } from './seed-clock';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    pgTemplateDb: string | null;
  }
}

const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;

export function baseUrl(): string | null {
  return process.env.DATABASE_URL || null;
}

export function urlForDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function seedInto(h: Awaited<ReturnType<typeof openDatabase>>) {
  await h.migrate();
  const { seedDemo } = await import('../../db/seed/load');
  await seedDemo(h.db, { demoPasswords: true, now: SEED_NOW });
}

export default async function setup(project: TestProject) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-test-'));
  const pgliteTemplate = path.join(tmp, 'pglite-template.tar');
  const pg = await openDatabase({ dataDir: 'memory://' });
  await seedInto(pg);
  const dump = await pg.dump!();
  fs.writeFileSync(pgliteTemplate, Buffer.from(await dump.arrayBuffer()));
  await pg.close();
  project.provide('pgliteTemplate', pgliteTemplate);

  let templateDb: string | null = null;
  const url = baseUrl();
  if (url) {
    templateDb = `cs_tpl_${runId}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE "${templateDb}"`);
    const h = await openDatabase({ url: urlForDatabase(url, templateDb), max: 4 });
    await seedInto(h);
    await h.close();
    await admin.end();
  }
  project.provide('pgTemplateDb', templateDb);

  return async () => {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (url && templateDb) {
      const admin = postgres(url, { max: 1, onnotice: () => {} });
      // Drop the template and every worker's clone of it.
      const dbs = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${`cs_%${runId}%`}`;
      for (const { datname } of dbs) await admin.unsafe(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      await admin.end();
    }
  };
}
