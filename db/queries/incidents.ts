// Reads of incidents for the incident pages and the change page's "caused an incident" link.
import { and, desc, eq, gte, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { changes, changeServices, incidents, incidentServices, people, services, type Incident } from '@/db/schema';
import type { AiLevel, RiskLevel, Tier } from '@/db/schema/enums';

export interface IncidentListItem {
  id: number;
  externalId: string;
  title: string;
  severity: number;
  startedAt: Date;
  resolvedAt: Date | null;
  lostOrders: number | null;
  impact: string | null;
  /** Slugs, Tier-1 first. */
  services: string[];
  causeChange: { id: number; externalId: string } | null;
}

async function servicesOf(q: Queryable, ids: number[]) {
  if (!ids.length) return [];
  return q
    .select({ incidentId: incidentServices.incidentId, slug: services.slug, tier: services.tier, name: services.name })
    .from(incidentServices)
    .innerJoin(services, eq(services.id, incidentServices.serviceId))
    .where(inArray(incidentServices.incidentId, ids))
    .orderBy(services.tier, services.slug);
}

/** The latest incidents, newest first; `service` keeps those on one service (by slug). */
export async function listIncidents(q: Queryable, opts: { limit?: number; service?: string } = {}): Promise<IncidentListItem[]> {
  const onService = opts.service
    ? q.select({ id: incidentServices.incidentId }).from(incidentServices).innerJoin(services, eq(services.id, incidentServices.serviceId)).where(eq(services.slug, opts.service))
    : null;
  const rows = await q
    .select({
      id: incidents.id,
      externalId: incidents.externalId,
      title: incidents.title,
      severity: incidents.severity,
      startedAt: incidents.startedAt,
      resolvedAt: incidents.resolvedAt,
      lostOrders: incidents.lostOrders,
      impact: incidents.impact,
      causeId: changes.id,
      causeExternalId: changes.externalId,
    })
    .from(incidents)
    .leftJoin(changes, eq(changes.id, incidents.causeChangeId))
    .where(onService ? inArray(incidents.id, onService) : undefined)
    .orderBy(desc(incidents.startedAt), desc(incidents.id))
    .limit(opts.limit ?? 200);
  const svc = await servicesOf(q, rows.map((r) => r.id));
  return rows.map(({ causeId, causeExternalId, ...r }) => ({
    ...r,
    services: svc.filter((s) => s.incidentId === r.id).map((s) => s.slug),
    causeChange: causeId && causeExternalId ? { id: causeId, externalId: causeExternalId } : null,
  }));
}

export interface ChangeSummary {
  id: number;
  externalId: string;
  title: string;
  status: string;
  riskScore: number;
  riskLevel: RiskLevel;
  aiLevel: AiLevel;
  aiTool: string | null;
  author: string;
  createdAt: Date;
}

const changeSummary = {
  id: changes.id,
  externalId: changes.externalId,
  title: changes.title,
  status: changes.status,
  riskScore: changes.riskScore,
  riskLevel: changes.riskLevel,
  aiLevel: changes.aiLevel,
  aiTool: changes.aiTool,
  author: people.handle,
  createdAt: changes.createdAt,
};

type SummaryRow = Omit<ChangeSummary, 'riskLevel' | 'aiLevel'> & { riskLevel: string; aiLevel: string };
const asSummary = (r: SummaryRow): ChangeSummary => ({ ...r, riskLevel: r.riskLevel as RiskLevel, aiLevel: r.aiLevel as AiLevel });

export interface IncidentDetail extends Incident {
  services: { slug: string; name: string; tier: Tier }[];
  cause: ChangeSummary | null;
  /** Changes on the same services made before it started: the likely causes, newest first. */
  candidates: ChangeSummary[];
  /** Changes in review on these services now (their risk counts this incident). */
  openChanges: ChangeSummary[];
}

export async function getIncident(q: Queryable, ref: string): Promise<IncidentDetail | null> {
  const text = ref.trim();
  const asId = /^\d{1,9}$/.test(text) ? Number(text) : -1;
  const [incident] = await q
    .select()
    .from(incidents)
    .where(or(eq(incidents.externalId, text), eq(incidents.id, asId)))
    .orderBy(sql`${incidents.externalId} = ${text} desc`)
    .limit(1);
  if (!incident) return null;
  const svc = await servicesOf(q, [incident.id]);
  const serviceIds = q.select({ id: incidentServices.serviceId }).from(incidentServices).where(eq(incidentServices.incidentId, incident.id));
  const onServices = q.selectDistinct({ id: changeServices.changeId }).from(changeServices).where(inArray(changeServices.serviceId, serviceIds));
  const windowStart = new Date(incident.startedAt.getTime() - 30 * 86_400_000);
  const [cause, candidates, open] = await Promise.all([
    incident.causeChangeId
      ? q.select(changeSummary).from(changes).innerJoin(people, eq(people.id, changes.authorId)).where(eq(changes.id, incident.causeChangeId)).limit(1)
      : Promise.resolve([]),
    q
      .select(changeSummary)
      .from(changes)
      .innerJoin(people, eq(people.id, changes.authorId))
      .where(and(inArray(changes.id, onServices), gte(changes.createdAt, windowStart), sql`${changes.createdAt} <= ${incident.startedAt.toISOString()}::timestamptz`, incident.causeChangeId ? ne(changes.id, incident.causeChangeId) : undefined))
      .orderBy(desc(changes.createdAt))
      .limit(15),
    q
      .select(changeSummary)
      .from(changes)
      .innerJoin(people, eq(people.id, changes.authorId))
      .where(and(inArray(changes.id, onServices), inArray(changes.status, ['pending', 'approved']), isNull(changes.closedAt)))
      .orderBy(desc(changes.riskScore), desc(changes.id))
      .limit(10),
  ]);
  return {
    ...incident,
    services: svc.map((s) => ({ slug: s.slug, name: s.name, tier: s.tier as Tier })),
    cause: cause[0] ? asSummary(cause[0]) : null,
    candidates: candidates.map(asSummary),
    openChanges: open.map(asSummary),
  };
}

export interface ChangeIncidentLinks {
  /** Incidents this change is recorded as the cause of. */
  caused: { id: number; externalId: string; title: string; severity: number; startedAt: Date }[];
  /** Incidents on its services that started after it was submitted, not yet blamed on it. */
  candidates: { id: number; externalId: string; title: string; severity: number; startedAt: Date; causeChangeId: number | null }[];
}

export async function getChangeIncidentLinks(q: Queryable, changeId: number): Promise<ChangeIncidentLinks> {
  const [change] = await q.select({ createdAt: changes.createdAt }).from(changes).where(eq(changes.id, changeId)).limit(1);
  if (!change) return { caused: [], candidates: [] };
  const serviceIds = q.select({ id: changeServices.serviceId }).from(changeServices).where(eq(changeServices.changeId, changeId));
  const onServices = q.selectDistinct({ id: incidentServices.incidentId }).from(incidentServices).where(inArray(incidentServices.serviceId, serviceIds));
  const cols = { id: incidents.id, externalId: incidents.externalId, title: incidents.title, severity: incidents.severity, startedAt: incidents.startedAt, causeChangeId: incidents.causeChangeId };
  const [caused, candidates] = await Promise.all([
    q.select(cols).from(incidents).where(eq(incidents.causeChangeId, changeId)).orderBy(desc(incidents.startedAt)),
    q
      .select(cols)
      .from(incidents)
      .where(and(inArray(incidents.id, onServices), sql`${incidents.startedAt} >= ${change.createdAt.toISOString()}::timestamptz`, or(isNull(incidents.causeChangeId), ne(incidents.causeChangeId, changeId))))
      .orderBy(desc(incidents.startedAt))
      .limit(20),
  ]);
  return { caused: caused.map(({ causeChangeId: _c, ...i }) => i), candidates };
}
