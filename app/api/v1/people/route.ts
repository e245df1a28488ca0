import { z } from 'zod';
import { listPeople } from '@/db/queries/org';
import { apiRoute, parseWith } from '@/lib/api/route';
import { requestApproverAccount } from '@/lib/admin/confirmations';
import { createPerson, createPipelineAccount, NewPerson, NewPipeline } from '@/lib/admin/people';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({}, async ({ db }) => {
  const items = await listPeople(db);
  return { items: items.map(({ id: _id, ...p }) => p), nextCursor: null };
});

/** Fields only a person has: with any of them the body adds a person, without them a pipeline account. */
const PERSON_FIELDS = ['email', 'role', 'level', 'team', 'title', 'password', 'generatePassword'];

/**
 * An administrator adds a person (`{handle, name, email, role, level?, team?, title?, password? | generatePassword?}`,
 * who signs in with that e-mail and password) or a pipeline account (`{handle, name}`: a bot to hold a pipeline's tokens).
 */
export const POST = apiRoute({ scope: 'admin', roles: ['admin'], body: z.looseObject({}), maxBodyBytes: 8 * 1024 }, async ({ db, body, actor }) => {
  if (PERSON_FIELDS.some((f) => f in body)) {
    const input = parseWith(NewPerson, body, 'body');
    // An account that could sign off waits for a second administrator (its password is set once it exists).
    const pending = await requestApproverAccount(db, input, actor.person, actor.label);
    if (pending) return Response.json({ pending }, { status: 202 });
    const { person: p, generatedPassword } = await createPerson(db, input, actor.person, actor.label);
    return Response.json(
      {
        handle: p.handle,
        name: p.name,
        email: p.email,
        title: p.title,
        level: p.level,
        role: p.role,
        team: p.team,
        isBot: false,
        hasPassword: !!p.passwordHash,
        ...(generatedPassword ? { password: generatedPassword } : {}),
      },
      { status: 201, headers: { 'cache-control': 'no-store' } },
    );
  }
  const p = await createPipelineAccount(db, parseWith(NewPipeline, body, 'body'), actor.person, actor.label);
  return Response.json({ handle: p.handle, name: p.name, level: p.level, role: p.role, team: p.team, isBot: p.isBot }, { status: 201 });
});
