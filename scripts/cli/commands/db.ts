import { parseArgs } from 'node:util';
import { getEnv } from '@/lib/env';
import type { Command } from '../command';
import { migrateWithRoles } from '@/db/grants';
import { CliError, openCliDatabase, out } from '../context';

export const dbMigrate: Command = {
  name: 'db migrate',
  summary: 'Apply the database migrations (idempotent).',
  help: [
    'Applies the committed migrations in db/migrations to the database in DATABASE_URL, or to the embedded one in ./.data.',
    'With DATABASE_MIGRATION_URL (the owner role), migrates as the owner and grants DATABASE_URL\'s role the server\'s privileges.',
    '',
    'Options:',
    '  --grant-to ROLE   also grant ROLE the server\'s privileges: INSERT/SELECT only on audit_events (PostgreSQL)',
  ].join('\n'),
  async run(args) {
    const { values } = parseArgs({ args, options: { 'grant-to': { type: 'string' } } });
    const h = await openCliDatabase({ migrate: false });
    const grantTo = values['grant-to'];
    if (grantTo && h.driver !== 'postgres') throw new CliError('--grant-to needs PostgreSQL: the embedded database has a single role.');
    const { grantedTo } = await migrateWithRoles(h, getEnv().DATABASE_MIGRATION_URL, grantTo);
    out.line(`Migrations applied (${h.driver}).${grantedTo.length ? ` Server role privileges granted to ${grantedTo.join(', ')}.` : ''}`);
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
