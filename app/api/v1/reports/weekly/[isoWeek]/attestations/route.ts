import { z } from 'zod';
import { apiRoute } from '@/lib/api/route';
import { attestWeeklyReport } from '@/lib/attestations/attest';

export const dynamic = 'force-dynamic';

const Body = z.object({ note: z.string().trim().max(500, 'Keep the note under 500 characters.').default('') });

/** A director or VP (signed in, or with an `attest` token) attests a week's report: "reviewed by … on …", recorded with its audit event. */
export const POST = apiRoute<z.infer<typeof Body>, undefined, { isoWeek: string }>(
  { roles: ['director', 'vp'], scope: 'attest', body: Body, maxBodyBytes: 8 * 1024 },
  async ({ db, params, body, actor }) => {
    const row = await attestWeeklyReport(db, { isoWeek: params.isoWeek, personId: actor.person.id, actorLabel: actor.label, note: body.note });
    return Response.json(
      { isoWeek: row.isoWeek, handle: actor.person.handle, name: actor.person.name, role: actor.person.role, note: row.note, attestedAt: row.attestedAt.toISOString() },
      { status: 201 },
    );
  },
);
