// Recording incidents (idempotent by the tracker's id) and linking one to the change that
// caused it — each in one transaction with its audit events — then re-scoring the open changes
// on the same services, since incident history is part of their risk.
import { resolveChangeRef } from '@/lib/changes/ref';
import { eq, inArray, sql } from 'drizzle-orm';
import type { Db, Queryable, Tx } from '@/db/client';
import { changes, incidents, incidentServices, services, type Change, type Incident as IncidentRow } from '@/db/schema';
import { appendAudit } from '@/lib/audit/chain';
import { openChangesOnServices, rescoreChanges, type RescoredChange } from '@/lib/changes/rescore';
import type { SubmitActor } from '@/lib/changes/submit';
import { forbidden, notFound, unprocessable } from '@/lib/errors';
import { canEditIncident, sreTeams, type IncidentEditor } from './access';
import type { Incident } from './schema';

export interface RowProblem {
  /** Line in the imported file, or the index in an API batch. */
  line: number | null;
  id: string | null;
  reason: string;
}

export interface RecordedIncident {
  id: number;
  externalId: string;
  created: boolean;
  /** Fields that changed on an existing incident. */
  changed: string[];
  causeChange: { id: number; externalId: string } | null;
}

export interface RecordResult {
  items: RecordedIncident[];
  invalid: RowProblem[];
  rescored: RescoredChange[];
}

/** A change by Countersign id or external id (lib/changes/ref.ts). */
/** The person behind an incident write, when it comes from the API (the CLI is the operator). */
export type IncidentActor = SubmitActor & { editor?: IncidentEditor };

/** Refuses (403 incident_not_yours) an edit of an existing incident by someone outside its teams, SRE or admin. */
async function assertMayEdit(q: Queryable, incident: { id: number; externalId: string }, editor: IncidentEditor | undefined): Promise<void> {
  if (!editor) return;
  const owners = (
    await q
      .selectDistinct({ team: services.team })
      .from(incidentServices)
      .innerJoin(services, eq(services.id, incidentServices.serviceId))
      .where(eq(incidentServices.incidentId, incident.id))
  )
    .map((r) => r.team)
    .filter((t): t is string => t !== null);
  if (!canEditIncident(editor, owners, sreTeams())) {
    throw forbidden(
      'incident_not_yours',
      `Incident ${incident.externalId} belongs to ${owners.length ? owners.join(', ') : 'no team'}: only those teams, the SRE teams or an administrator may change it.`,
    );
  }
}

export async function findChange(q: Queryable, ref: string | number): Promise<Change | null> {
  return resolveChangeRef(q, ref);
}

/** An incident by Countersign id or the tracker's id. */
export async function findIncident(q: Queryable, ref: string, opts: { forUpdate?: boolean } = {}): Promise<IncidentRow | null> {
  const text = ref.trim();
  const asId = /^\d{1,9}$/.test(text) ? Number(text) : -1;
  const query = q
    .select()
    .from(incidents)
    .where(sql`${incidents.externalId} = ${text} or ${incidents.id} = ${asId}`)
    .orderBy(sql`${incidents.externalId} = ${text} desc`)
    .limit(1);
  const [row] = opts.forUpdate ? await query.for('update') : await query;
  return row ?? null;
}

const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/**
 * Records incidents in one transaction. With `skipInvalid`, rows naming an unknown service or
 * change are reported and skipped (imports); otherwise the first one refuses the whole batch (API).
 */
export async function recordIncidents(
  db: Db,
  rows: { line: number | null; input: Incident }[],
  actor: IncidentActor,
  opts: { skipInvalid?: boolean } = {},
): Promise<RecordResult> {
  return db.transaction(async (tx) => {
    const result: RecordResult = { items: [], invalid: [], rescored: [] };
    const slugs = [...new Set(rows.flatMap((r) => r.input.services))];
    const svcRows = slugs.length ? await tx.select({ id: services.id, slug: services.slug }).from(services).where(inArray(services.slug, slugs)) : [];
    const svcBySlug = new Map(svcRows.map((s) => [s.slug, s.id]));
    const touchedServices = new Set<number>();
    const seen = new Set<string>();

    for (const { line, input } of rows) {
      const problem = (reason: string, code: string) => {
        if (!opts.skipInvalid) throw unprocessable(code, `Incident ${input.id}${line !== null ? ` (line ${line})` : ''}: ${reason}`);
        result.invalid.push({ line, id: input.id, reason });
      };
      if (seen.has(input.id)) {
        problem('the same id appears twice; the first one was recorded', 'duplicate_incident');
        continue;
      }
      seen.add(input.id);
      const missing = input.services.filter((s) => !svcBySlug.has(s));
      if (missing.length) {
        problem(`unknown service ${missing.join(', ')}: import it into the catalog first`, 'unknown_service');
        continue;
      }
      let cause: Change | null = null;
      if (input.causeChange !== null && input.causeChange !== undefined) {
        cause = await findChange(tx, input.causeChange);
        if (!cause) {
          problem(`unknown cause change ${input.causeChange}: give its Countersign id or external id (org/repo#123)`, 'unknown_change');
          continue;
        }
      }
      const serviceIds = [...new Set(input.services.map((s) => svcBySlug.get(s)!))].sort((a, b) => a - b);
      const values = {
        title: input.title,
        severity: input.severity,
        startedAt: input.started,
        resolvedAt: input.resolved ?? null,
        causeChangeId: cause?.id ?? null,
        lostOrders: input.lostOrders ?? null,
        ordersDropPct: input.ordersDropPct ?? null,
        impact: input.impact,
        summary: input.summary,
        lessons: input.lessons,
      };
      const [existing] = await tx.select().from(incidents).where(eq(incidents.externalId, input.id)).for('update');
      let id: number;
      let changed: string[] = [];
      let oldServiceIds: number[] = [];
      if (!existing) {
        const [row] = await tx.insert(incidents).values({ externalId: input.id, ...values }).returning({ id: incidents.id });
        id = row!.id;
        await tx.insert(incidentServices).values(serviceIds.map((serviceId) => ({ incidentId: id, serviceId })));
      } else {
        id = existing.id;
        await assertMayEdit(tx, existing, actor.editor);
        oldServiceIds = (await tx.select({ id: incidentServices.serviceId }).from(incidentServices).where(eq(incidentServices.incidentId, id))).map((r) => r.id).sort((a, b) => a - b);
        changed = (Object.keys(values) as (keyof typeof values)[]).filter((k) => {
          const a = existing[k];
          const b = values[k];
          return a instanceof Date || b instanceof Date ? !sameTime(a as Date | null, b as Date | null) : (a ?? null) !== (b ?? null);
        });
        if (oldServiceIds.join(',') !== serviceIds.join(',')) {
          changed.push('services');
          await tx.delete(incidentServices).where(eq(incidentServices.incidentId, id));
          await tx.insert(incidentServices).values(serviceIds.map((serviceId) => ({ incidentId: id, serviceId })));
        }
        if (changed.length) await tx.update(incidents).set(values).where(eq(incidents.id, id));
      }
      const created = !existing;
      const causeChanged = created ? cause !== null : existing.causeChangeId !== (cause?.id ?? null);
      if (created || changed.length) {
        for (const s of [...serviceIds, ...oldServiceIds]) touchedServices.add(s);
        await appendAudit(tx, {
          actorId: actor.personId,
          actor: actor.label,
          action: 'incident.recorded',
          subjectType: 'incident',
          subjectId: id,
          payload: { externalId: input.id, title: input.title, severity: input.severity, services: input.services, created, ...(created ? {} : { fields: changed }) },
        });
      }
      if (causeChanged) {
        await appendAudit(tx, {
          actorId: actor.personId,
          actor: actor.label,
          action: 'incident.linked',
          subjectType: 'incident',
          subjectId: id,
          changeId: cause?.id ?? existing?.causeChangeId ?? null,
          payload: { externalId: input.id, change: cause ? { id: cause.id, externalId: cause.externalId } : null, previousChangeId: existing?.causeChangeId ?? null },
        });
      }
      result.items.push({ id, externalId: input.id, created, changed, causeChange: cause ? { id: cause.id, externalId: cause.externalId } : null });
    }
    result.rescored = await rescoreAround(tx, [...touchedServices], actor, 'incident.recorded');
    return result;
  });
}

async function rescoreAround(tx: Tx, serviceIds: number[], actor: SubmitActor, reason: string): Promise<RescoredChange[]> {
  const ids = await openChangesOnServices(tx, serviceIds);
  return ids.length ? rescoreChanges(tx, { reason, actor, changeIds: ids }) : [];
}

export interface LinkResult {
  incident: { id: number; externalId: string };
  change: { id: number; externalId: string } | null;
  previous: { id: number; externalId: string } | null;
  rescored: RescoredChange[];
}

/** Links an incident to the change that caused it (or unlinks it with null). */
export async function linkIncident(db: Db, incidentRef: string, changeRef: string | number | null, actor: IncidentActor): Promise<LinkResult> {
  return db.transaction(async (tx) => {
    const incident = await findIncident(tx, incidentRef, { forUpdate: true });
    if (!incident) throw notFound(`Incident ${incidentRef}`);
    await assertMayEdit(tx, incident, actor.editor);
    const change = changeRef === null ? null : await findChange(tx, changeRef);
    if (changeRef !== null && !change) throw unprocessable('unknown_change', `Unknown change ${changeRef}: give its Countersign id or external id (org/repo#123).`);
    // Recorded only after the incident was over: it cannot have caused it (a fix, more likely).
    if (change && incident.resolvedAt && change.createdAt.getTime() > incident.resolvedAt.getTime()) {
      throw unprocessable('change_after_incident', `Change ${change.externalId} was first recorded after incident ${incident.externalId} was resolved: it cannot be its cause.`);
    }
    const [previous] = incident.causeChangeId ? await tx.select({ id: changes.id, externalId: changes.externalId }).from(changes).where(eq(changes.id, incident.causeChangeId)) : [];
    const serviceIds = (await tx.select({ id: incidentServices.serviceId }).from(incidentServices).where(eq(incidentServices.incidentId, incident.id))).map((r) => r.id);
    const result: LinkResult = {
      incident: { id: incident.id, externalId: incident.externalId },
      change: change ? { id: change.id, externalId: change.externalId } : null,
      previous: previous ?? null,
      rescored: [],
    };
    if ((change?.id ?? null) === incident.causeChangeId) return result;
    await tx.update(incidents).set({ causeChangeId: change?.id ?? null }).where(eq(incidents.id, incident.id));
    await appendAudit(tx, {
      actorId: actor.personId,
      actor: actor.label,
      action: 'incident.linked',
      subjectType: 'incident',
      subjectId: incident.id,
      changeId: change?.id ?? previous?.id ?? null,
      payload: { externalId: incident.externalId, change: result.change, previous: result.previous },
    });
    result.rescored = await rescoreAround(tx, serviceIds, actor, 'incident.linked');
    return result;
  });
}
