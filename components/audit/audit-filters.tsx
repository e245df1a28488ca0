// The audit filter bar: a plain GET form, so a filtered view is a URL that can be shared,
// works without JavaScript and is reachable with the keyboard alone.
import Link from 'next/link';
import { AI_LEVELS } from '@/db/schema/enums';
import { AUDIT_ACTION_NAMES } from '@/lib/audit/actions';
import { actionLabel, AUDIT_KIND_NAMES, AUDIT_KINDS } from '@/lib/reports/audit-kinds';
import type { AuditFilterInput } from '@/lib/reports/audit-filters';

const control =
  'mt-1 block w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm text-zinc-900 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100';
const label = 'text-xs font-medium text-zinc-600 dark:text-zinc-400';
const AI_NAMES = { none: 'Human', assisted: 'AI-assisted', generated: 'AI-generated', agent: 'AI agent' } as const;

export function AuditFilters({
  filters,
  options,
}: {
  filters: AuditFilterInput;
  options: { teams: string[]; services: { slug: string; tier: number }[]; actors: string[] };
}) {
  return (
    <form method="get" action="/audit" className="no-print grid grid-cols-2 gap-3 rounded-lg border border-zinc-200 bg-white p-3 md:grid-cols-5 xl:grid-cols-10 dark:border-zinc-800 dark:bg-zinc-900" aria-label="Filter the audit trail">
      <label className={label}>
        From
        <input type="date" name="from" defaultValue={filters.from ?? ''} className={control} />
      </label>
      <label className={label}>
        To
        <input type="date" name="to" defaultValue={filters.to ?? ''} className={control} />
      </label>
      <label className={label}>
        Kind
        <select name="kind" defaultValue={filters.kind ?? ''} className={control}>
          <option value="">All but sign-ins</option>
          <option value="all">Everything</option>
          {AUDIT_KIND_NAMES.map((k) => (
            <option key={k} value={k}>
              {AUDIT_KINDS[k].label}
            </option>
          ))}
        </select>
      </label>
      <label className={label}>
        Action
        <select name="action" defaultValue={filters.action ?? ''} className={control}>
          <option value="">Any action</option>
          {AUDIT_ACTION_NAMES.map((a) => (
            <option key={a} value={a}>
              {actionLabel(a)}
            </option>
          ))}
        </select>
      </label>
      <label className={label}>
        Actor
        <input name="actor" list="audit-actors" defaultValue={filters.actor ?? ''} placeholder="handle" className={control} />
        <datalist id="audit-actors">
          {options.actors.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </label>
      <label className={label}>
        Team
        <select name="team" defaultValue={filters.team ?? ''} className={control}>
          <option value="">Any team</option>
          {options.teams.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label className={label}>
        Service
        <select name="service" defaultValue={filters.service ?? ''} className={control}>
          <option value="">Any service</option>
          {options.services.map((s) => (
            <option key={s.slug} value={s.slug}>
              {s.slug} (T{s.tier})
            </option>
          ))}
        </select>
      </label>
      <label className={label}>
        Tier
        <select name="tier" defaultValue={filters.tier ? String(filters.tier) : ''} className={control}>
          <option value="">Any tier</option>
          <option value="1">Tier 1</option>
          <option value="2">Tier 2</option>
          <option value="3">Tier 3</option>
        </select>
      </label>
      <label className={label}>
        AI
        <select name="ai" defaultValue={filters.ai ?? ''} className={control}>
          <option value="">Any</option>
          {AI_LEVELS.map((l) => (
            <option key={l} value={l}>
              {AI_NAMES[l]}
            </option>
          ))}
        </select>
      </label>
      <div className="flex items-end gap-2">
        <button type="submit" className="rounded-md bg-accent-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-accent-700">
          Apply
        </button>
        <Link href="/audit" className="rounded-md px-2 py-1.5 text-sm text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800">
          Reset
        </Link>
      </div>
    </form>
  );
}
