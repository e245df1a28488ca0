// Adding a watch-out: validated input in, one row and its audit event out, in one transaction.
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { changes, services, watchouts } from '@/db/schema';
import { appendAudit } from '@/lib/audit/chain';
import type { Actor } from '@/lib/auth/actor';
import { unprocessable } from '@/lib/errors';
import type { AddWatchout } from './schema';

export interface AddedWatchout {
  id: number;
  scope: AddWatchout['scope'];
  service: string | null;
  pattern: string | null;
  text: string;
  author: { handle: string; name: string };
  createdAt: string;
  /** The change it was written from, when given. */
  changeId: number | null;
}

export async function addWatchout(db: Db, input: AddWatchout, actor: Pick<Actor, 'person' | 'label'>): Promise<AddedWatchout> {
  return db.transaction(async (tx) => {
    let serviceId: number | null = null;
    if (input.service) {
      const [svc] = await tx.select({ id: services.id }).from(services).where(eq(services.slug, input.service)).limit(1);
      if (!svc) throw unprocessable('unknown_service', `Unknown service ${input.service}: pick one from the catalog.`);
      serviceId = svc.id;
    }
    let changeId: number | null = null;
    if (input.change !== undefined) {
      const ref = input.change;
      const [c] = await tx
        .select({ id: changes.id })
        .from(changes)
        .where(typeof ref === 'number' ? eq(changes.id, ref) : eq(changes.externalId, ref))
        .limit(1);
      if (!c) throw unprocessable('unknown_change', `No change ${ref}: the watch-out's context must be a known change.`);
      changeId = c.id;
    }
    const pattern = input.scope === 'service' ? null : input.pattern;
    const [row] = await tx
      .insert(watchouts)
      .values({ authorId: actor.person.id, scope: input.scope, serviceId, pattern, text: input.text })
      .returning();
    await appendAudit(tx, {
      actorId: actor.person.id,
      actor: actor.label,
      action: 'watchout.added',
      subjectType: 'watchout',
      subjectId: row!.id,
      changeId,
      payload: { scope: input.scope, service: input.service ?? null, pattern, text: input.text },
    });
    return {
      id: row!.id,
      scope: input.scope,
      service: input.service ?? null,
      pattern,
      text: row!.text,
      author: { handle: actor.person.handle, name: actor.person.name },
      createdAt: row!.createdAt.toISOString(),
      changeId,
    };
  });
}
