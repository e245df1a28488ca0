import { parseArgs } from 'node:util';
import { getEnv } from '@/lib/env';
import type { Command } from '../command';
import { openCliDatabase, out } from '../context';

export const dbMigrate: Command = {
  name: 'db migrate',
  summary: 'Apply the database migrations (idempotent).',
  help: 'Applies the committed migrations in db/migrations to the database in DATABASE_URL, or to the embedded one in ./.data.',
  async run(args) {
    parseArgs({ args, options: {} });
    const h = await openCliDatabase({ migrate: false });
    await h.migrate();
    out.line(`Migrations applied (${h.driver}).`);
  },
};

export const dbSeed: Command = {
  name: 'db seed',
  summary: 'Seed the demo organisation, Acme Retail (idempotent).',
  help: [
    'Options:',
    '  --demo-passwords   give every demo person the documented demo password (the embedded database does this by default)',
    '  --force            seed even if the database already holds people that are not the demo organisation',
    '',
    'COUNTERSIGN_SEED_NOW (an ISO date-time) seeds as if it were that moment instead of now.',
  ].join('\n'),
  async run(args) {
    const { values } = parseArgs({ args, options: { 'demo-passwords': { type: 'boolean' }, force: { type: 'boolean' } } });
    const h = await openCliDatabase();
    const { seedDemo } = await import('@/db/seed/load');
    const result = await seedDemo(h.db, {
      demoPasswords: values['demo-passwords'] ?? getEnv().demoPasswords,
      force: values.force ?? false,
      now: getEnv().seedNow,
      onProgress: (msg) => out.line(msg),
    });
    out.line(result.seeded ? `Seeded the demo organisation: ${result.summary}.` : `Nothing to do: ${result.summary}.`);
  },
};
