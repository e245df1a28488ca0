import { apiRoute } from '@/lib/api/route';
import { requestOrUpdatePerson } from '@/lib/admin/confirmations';
import { PersonPatch } from '@/lib/admin/people';

export const dynamic = 'force-dynamic';

/**
 * An administrator changes a person's level, role, team or title, or deactivates them. Raising a role
 * or level answers 202 with a pending request that a second administrator confirms (/api/v1/confirmations).
 */
export const PATCH = apiRoute<PersonPatch, undefined, { handle: string }>(
  { scope: 'admin', roles: ['admin'], body: PersonPatch, maxBodyBytes: 8 * 1024 },
  async ({ db, params, body, actor }) => {
    const done = await requestOrUpdatePerson(db, params.handle, body, actor.person, actor.label);
    if ('pending' in done) return Response.json({ pending: done.pending }, { status: 202 });
    const p = done.person;
    return { handle: p.handle, name: p.name, title: p.title, level: p.level, role: p.role, team: p.team, isBot: p.isBot, deactivated: !!p.deactivatedAt };
  },
);
