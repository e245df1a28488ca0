import { apiRoute } from '@/lib/api/route';
import { PersonPatch, updatePerson } from '@/lib/admin/people';

export const dynamic = 'force-dynamic';

/** An administrator changes a person's level, role, team or title, or deactivates them. */
export const PATCH = apiRoute<PersonPatch, undefined, { handle: string }>(
  { scope: 'admin', roles: ['admin'], body: PersonPatch, maxBodyBytes: 8 * 1024 },
  async ({ db, params, body, actor }) => {
    const p = await updatePerson(db, params.handle, body, actor.person, actor.label);
    return { handle: p.handle, name: p.name, title: p.title, level: p.level, role: p.role, team: p.team, isBot: p.isBot, deactivated: !!p.deactivatedAt };
  },
);
