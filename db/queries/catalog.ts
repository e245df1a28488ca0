// The catalog at a glance for /admin/catalog: services by tier, dependencies, teams, recent imports.
import { desc, eq, sql } from 'drizzle-orm';
import { queryRows, type Queryable } from '@/db/client';
import { auditEvents } from '@/db/schema';

export interface CatalogSummary {
  services: { total: number; tier1: number; tier2: number; tier3: number; removed: number };
  dependencies: number;
  teams: number;
  imports: { at: Date; actor: string; source: string; added: number; changed: number; removed: number; invalid: number }[];
}

export async function getCatalogSummary(q: Queryable): Promise<CatalogSummary> {
  const [counts] = await queryRows<Record<string, number>>(q, sql`select
      (select count(*) from services where not (annotations ? 'countersign.dev/removed-from-catalog'))::int as total,
      (select count(*) from services where tier = 1 and not (annotations ? 'countersign.dev/removed-from-catalog'))::int as tier1,
      (select count(*) from services where tier = 2 and not (annotations ? 'countersign.dev/removed-from-catalog'))::int as tier2,
      (select count(*) from services where tier = 3 and not (annotations ? 'countersign.dev/removed-from-catalog'))::int as tier3,
      (select count(*) from services where annotations ? 'countersign.dev/removed-from-catalog')::int as removed,
      (select count(*) from service_dependencies)::int as dependencies,
      (select count(*) from teams)::int as teams`);
  const imports = await q
    .select({ at: auditEvents.occurredAt, actor: auditEvents.actor, payload: auditEvents.payload })
    .from(auditEvents)
    .where(eq(auditEvents.action, 'catalog.imported'))
    .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
    .limit(5);
  const c = counts ?? {};
  return {
    services: { total: c.total ?? 0, tier1: c.tier1 ?? 0, tier2: c.tier2 ?? 0, tier3: c.tier3 ?? 0, removed: c.removed ?? 0 },
    dependencies: c.dependencies ?? 0,
    teams: c.teams ?? 0,
    imports: imports.map((i) => {
      const p = i.payload as { source?: string; services?: { added?: string[]; changed?: string[]; removed?: string[] }; invalid?: number };
      return { at: i.at, actor: i.actor, source: p.source ?? '?', added: p.services?.added?.length ?? 0, changed: p.services?.changed?.length ?? 0, removed: p.services?.removed?.length ?? 0, invalid: p.invalid ?? 0 };
    }),
  };
}
