// The audit timeline: events newest first with keyset pagination on (occurred_at, id), so
// page 1,000 costs what page 1 does; filters on the change (team, service, tier, AI level)
// go through audit_events.change_id. The page, the API and the CSV export share this query.
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Queryable } from '@/db/client';
import type { AiLevel, RiskLevel, Tier } from '@/db/schema/enums';
import { actionLabel, alarmOf, AUDIT_KINDS, kindOf, summarizeAudit, type AuditKind } from '@/lib/reports/audit-kinds';
import { iso, num } from './leadership-sql';

export interface AuditFilters {
  /** Inclusive UTC day, YYYY-MM-DD. */
  from?: string;
  /** Inclusive UTC day, YYYY-MM-DD. */
  to?: string;
  team?: string;
  service?: string;
  tier?: Tier;
  /** A person's handle, or an actor label such as `pipeline`, `system`, `github`. */
  actor?: string;
  action?: string;
  /** A group of actions; absent = everything but sign-ins; 'all' = everything. */
  kind?: AuditKind | 'all';
  ai?: AiLevel;
}

export interface AuditItem {
  id: number;
  occurredAt: string;
  actor: string;
  actorId: number | null;
  action: string;
  label: string;
  kind: AuditKind | 'other';
  alarm: 'bypass' | 'break_glass' | 'blocked' | 'rejected' | null;
  subjectType: string;
  subjectId: string;
  summary: string;
  change: { id: number; externalId: string; title: string; tier: Tier; aiLevel: AiLevel; riskScore: number; riskLevel: RiskLevel } | null;
  payload: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export function encodeAuditCursor(id: number): string {
  return Buffer.from(`e:${id}`).toString('base64url');
}

/** The id of the last event shown; null for a cursor that is not one of ours. */
export function decodeAuditCursor(cursor: string | undefined | null): number | null {
  if (!cursor) return null;
  const m = /^e:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : null;
}

const DAY_MS = 86_400_000;

function kindCondition(kind: AuditKind): SQL {
  const parts = AUDIT_KINDS[kind].match.map((p: string) => (p.endsWith('.') ? sql`e.action like ${`${p}%`}` : sql`e.action = ${p}`));
  return sql`(${sql.join(parts, sql` or `)})`;
}

export function auditWhere(f: AuditFilters & { actorId?: number | null }): SQL {
  const where: SQL[] = [];
  if (f.from) where.push(sql`e.occurred_at >= ${new Date(`${f.from}T00:00:00Z`).toISOString()}::timestamptz`);
  if (f.to) where.push(sql`e.occurred_at < ${new Date(Date.parse(`${f.to}T00:00:00Z`) + DAY_MS).toISOString()}::timestamptz`);
  if (f.action) where.push(sql`e.action = ${f.action}`);
  if (!f.kind) where.push(sql`e.action not like 'auth.%'`);
  else if (f.kind !== 'all') where.push(kindCondition(f.kind));
  // A person is matched by id (whatever label they acted under: handle, token); anyone else by label.
  if (f.actorId !== undefined && f.actorId !== null) where.push(sql`e.actor_id = ${f.actorId}`);
  else if (f.actor) where.push(sql`e.actor = ${f.actor}`);
  if (f.tier) where.push(sql`c.top_tier = ${f.tier}`);
  if (f.ai) where.push(sql`c.ai_level = ${f.ai}`);
  if (f.service) {
    where.push(sql`exists (select 1 from change_services cs join services s on s.id = cs.service_id where cs.change_id = e.change_id and s.slug = ${f.service})`);
  }
  if (f.team) {
    where.push(sql`exists (select 1 from change_services cs join services s on s.id = cs.service_id where cs.change_id = e.change_id and s.team = ${f.team})`);
  }
  return where.length ? sql.join(where, sql` and `) : sql`true`;
}

/** True when a filter needs the change: events without one cannot match it. */
function needsChange(f: AuditFilters): boolean {
  return !!(f.tier || f.ai || f.service || f.team);
}

export async function listAuditEvents(q: Queryable, f: AuditFilters & { limit?: number; cursor?: string | null }): Promise<{ items: AuditItem[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 5000);
  const after = decodeAuditCursor(f.cursor);
  const actorId = f.actor ? await personIdOf(q, f.actor) : null;
  // The cursor is the last event's id; its (occurred_at, id) is read back exactly, whatever the timestamp precision.
  const keyset = after === null ? sql`true` : sql`(e.occurred_at, e.id) < (select a.occurred_at, a.id from audit_events a where a.id = ${after})`;
  const rows = await queryRows<Record<string, unknown>>(
    q,
    sql`
    select e.id, e.occurred_at, e.actor, e.actor_id, e.action, e.subject_type, e.subject_id, e.payload, e.prev_hash, e.hash,
      c.id as c_id, c.external_id as c_external_id, c.title as c_title, c.top_tier as c_tier, c.ai_level as c_ai_level,
      c.risk_score as c_risk_score, c.risk_level as c_risk_level
    from audit_events e
    ${needsChange(f) ? sql`join` : sql`left join`} changes c on c.id = e.change_id
    where ${auditWhere({ ...f, actorId })} and ${keyset}
    -- NULLS LAST as in the index (both columns are NOT NULL): otherwise PostgreSQL sorts instead of walking it.
    order by e.occurred_at desc nulls last, e.id desc nulls last
    limit ${limit + 1}`,
  );
  const page = rows.slice(0, limit);
  const items = page.map((r): AuditItem => {
    const action = String(r.action);
    const payload = (typeof r.payload === 'string' ? JSON.parse(r.payload) : (r.payload ?? {})) as Record<string, unknown>;
    return {
      id: num(r.id),
      occurredAt: iso(r.occurred_at),
      actor: String(r.actor),
      actorId: r.actor_id === null || r.actor_id === undefined ? null : num(r.actor_id),
      action,
      label: actionLabel(action),
      kind: kindOf(action),
      alarm: alarmOf(action, payload),
      subjectType: String(r.subject_type),
      subjectId: String(r.subject_id),
      summary: summarizeAudit(action, payload),
      change:
        r.c_id === null || r.c_id === undefined
          ? null
          : {
              id: num(r.c_id),
              externalId: String(r.c_external_id),
              title: String(r.c_title),
              tier: num(r.c_tier) as Tier,
              aiLevel: r.c_ai_level as AiLevel,
              riskScore: num(r.c_risk_score),
              riskLevel: r.c_risk_level as RiskLevel,
            },
      payload,
      prevHash: String(r.prev_hash),
      hash: String(r.hash),
    };
  });
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeAuditCursor(last.id) : null };
}

async function personIdOf(q: Queryable, handle: string): Promise<number | null> {
  const [row] = await queryRows<{ id: unknown }>(q, sql`select id from people where handle = ${handle} limit 1`);
  return row ? num(row.id) : null;
}

/** The options the filter bar offers: teams, services, people and actor labels that appear. */
export async function listAuditFilterOptions(q: Queryable): Promise<{ teams: string[]; services: { slug: string; tier: Tier; team: string | null }[]; actors: string[] }> {
  const [teams, services, people] = await Promise.all([
    queryRows<{ slug: string }>(q, sql`select slug from teams order by slug`),
    queryRows<{ slug: string; tier: number; team: string | null }>(q, sql`select slug, tier, team from services order by slug`),
    queryRows<{ handle: string }>(q, sql`select handle from people order by handle`),
  ]);
  return {
    teams: teams.map((t) => t.slug),
    services: services.map((s) => ({ slug: s.slug, tier: num(s.tier) as Tier, team: s.team })),
    actors: [...people.map((p) => p.handle), 'github', 'incident-tracker', 'pipeline', 'system'],
  };
}

export const CSV_COLUMNS = [
  'id',
  'occurred_at',
  'actor',
  'action',
  'kind',
  'what',
  'summary',
  'subject_type',
  'subject_id',
  'change_id',
  'change_external_id',
  'change_title',
  'tier',
  'ai_level',
  'payload',
  'prev_hash',
  'hash',
] as const;

/** RFC 4180 quoting; a cell a spreadsheet would run as a formula is prefixed with ' (OWASP CSV injection). */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function auditCsvRow(e: AuditItem): string {
  return [
    e.id,
    e.occurredAt,
    e.actor,
    e.action,
    e.kind,
    e.label,
    e.summary,
    e.subjectType,
    e.subjectId,
    e.change?.id ?? '',
    e.change?.externalId ?? '',
    e.change?.title ?? '',
    e.change?.tier ?? '',
    e.change?.aiLevel ?? '',
    e.payload,
    e.prevHash,
    e.hash,
  ]
    .map(csvCell)
    .join(',');
}

/**
 * The filtered timeline as CSV, pulled page by page by keyset as the client reads: memory
 * holds one page, whatever the number of rows.
 */
export function auditCsvStream(q: Queryable, f: AuditFilters, pageSize = 2000): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: string | null = null;
  let started = false;
  let done = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(`${CSV_COLUMNS.join(',')}\r\n`));
          return;
        }
        if (done) return;
        const page = await listAuditEvents(q, { ...f, limit: pageSize, cursor });
        if (page.items.length) controller.enqueue(encoder.encode(page.items.map(auditCsvRow).join('\r\n') + '\r\n'));
        cursor = page.nextCursor;
        if (!cursor) {
          done = true;
          controller.close();
        }
      },
    },
    { highWaterMark: 1 },
  );
}
