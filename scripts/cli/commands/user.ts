import { parseArgs } from 'node:util';
import { ROLES } from '@/db/schema/enums';
import { createPerson, NewPerson, setPersonPassword } from '@/lib/admin/people';
import { PASSWORD_MIN_LENGTH, passwordProblem } from '@/lib/auth/password-rules';
import { DEFAULT_LEVEL_BY_ROLE } from '@/lib/auth/roles';
import type { Command } from '../command';
import { CliError, openCliDatabase, out } from '../context';

/** How the operator appears in the audit trail (as for `token create`). */
const CLI_ACTOR = 'cli';

export const userCreate: Command = {
  name: 'user create',
  summary: 'Add a person who signs in to the dashboard (then give them a password).',
  help: [
    'Options:',
    '  --handle <handle>   lower-case letters, digits, dots, dashes (required)',
    '  --email <email>     what they sign in with (required)',
    '  --name "<name>"     their full name (required)',
    `  --role <role>       ${ROLES.join(', ')} (required)`,
    `  --level <n>         4 to 10; by default ${ROLES.map((r) => `${r} L${DEFAULT_LEVEL_BY_ROLE[r]}`).join(', ')}`,
    '  --team <slug>       a team of the catalog',
    '  --title "<title>"',
    '',
    'The person has no password yet: set one with `countersign user set-password --person <handle>`.',
  ].join('\n'),
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        handle: { type: 'string' },
        email: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        level: { type: 'string' },
        team: { type: 'string' },
        title: { type: 'string' },
      },
    });
    const missing = (['handle', 'email', 'name', 'role'] as const).filter((k) => !values[k]?.trim());
    if (missing.length) throw new CliError(`${missing.map((k) => `--${k}`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} required; see \`countersign user create --help\`.`, 2);
    let level: number | undefined;
    if (values.level !== undefined) {
      if (!/^\d{1,2}$/.test(values.level.trim())) throw new CliError(`--level must be a whole number from 4 to 10, not "${values.level}".`, 2);
      level = Number(values.level.trim());
    }
    // Checked before the database is opened: a usage error writes nothing.
    const parsed = NewPerson.safeParse({
      handle: values.handle,
      email: values.email,
      name: values.name,
      role: values.role,
      ...(level !== undefined ? { level } : {}),
      ...(values.team ? { team: values.team } : {}),
      ...(values.title ? { title: values.title } : {}),
    });
    if (!parsed.success) {
      throw new CliError(parsed.error.issues.map((i) => (i.message.includes(':') || !i.path.length ? i.message : `${String(i.path[0])}: ${i.message}`)).join('; '), 2);
    }
    const h = await openCliDatabase();
    const { person: p } = await createPerson(h.db, parsed.data, null, CLI_ACTOR);
    out.line(`Created ${p.name} (${p.handle}, ${p.email}): ${p.role}, L${p.level}${p.team ? `, team ${p.team}` : ''}.`);
    out.line(`No password yet: set one with \`countersign user set-password --person ${p.handle}\`.`);
  },
};

/** The first line of standard input, without its line ending. */
async function readStdinLine(): Promise<string> {
  const stdin = out.stdin();
  let text = '';
  for await (const chunk of stdin) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    if (text.includes('\n')) break;
  }
  stdin.destroy();
  const nl = text.indexOf('\n');
  return (nl >= 0 ? text.slice(0, nl) : text).replace(/\r$/, '');
}

export const userSetPassword: Command = {
  name: 'user set-password',
  summary: 'Set a person’s password (generated, or --password-stdin) and end their sessions.',
  help: [
    'Options:',
    '  --person <handle|email>   whose password (required)',
    `  --password-stdin          read the new password from the first line of standard input (at least ${PASSWORD_MIN_LENGTH} characters)`,
    '',
    'Without --password-stdin a strong random password is generated and printed, once, as the last line.',
    'Their sessions end at once (sign-out everywhere); their API tokens are not touched.',
    '',
    'Example:  printf "%s\\n" "$NEW_PASSWORD" | countersign user set-password --person jdoe --password-stdin',
  ].join('\n'),
  async run(args) {
    const { values } = parseArgs({ args, options: { person: { type: 'string' }, 'password-stdin': { type: 'boolean' } } });
    const ref = values.person?.trim();
    if (!ref) throw new CliError('--person <handle|email> is required.', 2);
    let password: string | undefined;
    if (values['password-stdin']) {
      password = await readStdinLine();
      const problem = passwordProblem(password);
      if (problem) throw new CliError(`${problem.message} Nothing was changed.`, 2);
    }
    const h = await openCliDatabase();
    const result = await setPersonPassword(h.db, ref, password !== undefined ? { password } : { generate: true }, null, { actorLabel: CLI_ACTOR });
    const p = result.person;
    const ended = result.sessionsEnded === 1 ? '1 session' : `${result.sessionsEnded} sessions`;
    out.line(`Set the password of ${p.name} (${p.handle}, ${p.email ?? 'no e-mail'}); ended ${ended}.${p.deactivatedAt ? ' They are deactivated: reactivate them on /admin/people to let them sign in.' : ''}`);
    if (!p.email) out.line('They have no e-mail address to sign in with yet.');
    if (result.generatedPassword) {
      out.line('It is shown only once:');
      out.line(result.generatedPassword);
    }
  },
};
