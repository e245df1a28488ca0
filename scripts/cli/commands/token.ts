import { parseArgs } from 'node:util';
import { TOKEN_SCOPES } from '@/db/schema/enums';
import { createApiToken } from '@/lib/auth/tokens';
import type { Command } from '../command';
import { CliError, openCliDatabase, out } from '../context';

export const tokenCreate: Command = {
  name: 'token create',
  summary: 'Create an API token for a person or pipeline; prints it as the last line.',
  help: [
    'Options:',
    '  --person <handle>   who the token acts as (required)',
    `  --scope <scope>     repeatable; one of ${TOKEN_SCOPES.join(', ')}`,
    '  --name <name>       a label shown on /admin',
    '  --expires-in-days <n>',
    '',
    'The token is shown once: store it in your CI secrets.',
  ].join('\n'),
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        person: { type: 'string' },
        scope: { type: 'string', multiple: true },
        name: { type: 'string' },
        'expires-in-days': { type: 'string' },
      },
    });
    if (!values.person) throw new CliError('--person <handle> is required.', 2);
    const scopes = (values.scope ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
    let expiresAt: Date | null = null;
    if (values['expires-in-days']) {
      const days = Number(values['expires-in-days']);
      if (!Number.isFinite(days) || days <= 0) throw new CliError('--expires-in-days must be a positive number.', 2);
      expiresAt = new Date(Date.now() + days * 86_400_000);
    }
    const h = await openCliDatabase();
    const created = await createApiToken(h.db, { personHandle: values.person, scopes, name: values.name, expiresAt, createdBy: null });
    out.line(`Created token #${created.id} for ${values.person} with scopes ${created.scopes.join(', ')}${expiresAt ? `, expiring ${expiresAt.toISOString()}` : ''}.`);
    out.line('It is shown only once:');
    out.line(created.token);
  },
};
