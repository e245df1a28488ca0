import { listPeople } from '@/db/queries/org';
import { apiRoute } from '@/lib/api/route';
import { createPipelineAccount, NewPipeline } from '@/lib/admin/people';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({}, async ({ db }) => {
  const items = await listPeople(db);
  return { items: items.map(({ id: _id, ...p }) => p), nextCursor: null };
});

/** An administrator adds a pipeline account (a bot) to hold a pipeline's tokens. */
export const POST = apiRoute({ scope: 'admin', roles: ['admin'], body: NewPipeline, maxBodyBytes: 4 * 1024 }, async ({ db, body, actor }) => {
  const p = await createPipelineAccount(db, body, actor.person, actor.label);
  return Response.json({ handle: p.handle, name: p.name, level: p.level, role: p.role, team: p.team, isBot: p.isBot }, { status: 201 });
});
