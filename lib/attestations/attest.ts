// Directors and VPs attest each week's report ("reviewed by … on …"): one row per person and
// week, written in one transaction with its audit event. Only a week that has ended can be attested.
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { people, reportAttestations } from '@/db/schema';
import type { Role } from '@/db/schema/enums';
import { appendAudit } from '@/lib/audit/chain';
import { badRequest, conflict, forbidden } from '@/lib/errors';
import { isComplete, IsoWeekError, parseIsoWeek } from '@/lib/reports/iso-week';

export const ATTESTING_ROLES: readonly Role[] = ['director', 'vp'];

export async function attestWeeklyReport(
  db: Db,
  input: { isoWeek: string; personId: number; actorLabel?: string; note?: string; now?: Date },
): Promise<typeof reportAttestations.$inferSelect> {
  let week;
  try {
    week = parseIsoWeek(input.isoWeek);
  } catch (err) {
    if (err instanceof IsoWeekError) throw badRequest('invalid_week', err.message);
    throw err;
  }
  const now = input.now ?? new Date();
  if (!isComplete(week, now)) throw conflict('week_not_over', `${week.id} is not over yet: attest its report once the week has ended.`);
  const note = (input.note ?? '').trim();
  return db.transaction(async (tx) => {
    const [person] = await tx.select().from(people).where(eq(people.id, input.personId)).limit(1);
    if (!person || person.deactivatedAt || person.isBot || !ATTESTING_ROLES.includes(person.role as Role)) {
      throw forbidden('forbidden_role', 'Only a director or a VP attests the weekly report.');
    }
    const [row] = await tx.insert(reportAttestations).values({ isoWeek: week.id, personId: person.id, note, attestedAt: now }).onConflictDoNothing().returning();
    if (!row) throw conflict('already_attested', `You already attested the report of ${week.id}.`);
    await appendAudit(tx, {
      actorId: person.id,
      actor: input.actorLabel ?? person.handle,
      action: 'report.attested',
      subjectType: 'weekly_report',
      subjectId: week.id,
      occurredAt: now,
      payload: { isoWeek: week.id, note },
    });
    return row;
  });
}
