// The report of a catalog import: what was added, changed and removed, the dependencies that
// moved, the entities refused (with their line) and the open changes re-scored.
import Link from 'next/link';
import type { ImportReport } from '@/lib/catalog/import';

function Count({ n, label, tone = 'zinc' }: { n: number; label: string; tone?: 'zinc' | 'emerald' | 'amber' | 'red' }) {
  const color = { zinc: 'text-zinc-900 dark:text-zinc-100', emerald: 'text-emerald-700 dark:text-emerald-400', amber: 'text-amber-700 dark:text-amber-400', red: 'text-red-700 dark:text-red-400' }[tone];
  return (
    <div className="rounded-md border border-zinc-200 px-3 py-2 dark:border-zinc-800">
      <div className={`text-xl font-semibold tabular ${n ? color : 'text-zinc-400 dark:text-zinc-600'}`}>{n}</div>
      <div className="text-xs text-zinc-500 dark:text-zinc-400">{label}</div>
    </div>
  );
}

function List({ title, items, mark, className = '' }: { title: string; items: string[]; mark: string; className?: string }) {
  if (!items.length) return null;
  return (
    <div>
      <h4 className="mb-1 text-xs font-medium text-zinc-500 dark:text-zinc-400">{title}</h4>
      <ul className={`space-y-0.5 font-mono text-xs ${className}`}>
        {items.map((i) => (
          <li key={i}>
            <span aria-hidden className="mr-1.5 select-none">{mark}</span>
            {i}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function CatalogReport({ report }: { report: ImportReport }) {
  const s = report.services;
  return (
    <div className="space-y-4" data-testid="catalog-report">
      <p className="text-sm text-zinc-600 dark:text-zinc-300">
        Imported <span className="font-medium">{report.source}</span>: {report.entities} entit{report.entities === 1 ? 'y' : 'ies'}
        {report.systems.length ? `, ${report.systems.length} system${report.systems.length === 1 ? '' : 's'}` : ''}
        {report.apis.length ? `, ${report.apis.length} API${report.apis.length === 1 ? '' : 's'}` : ''}
        {report.ignored.length ? `; ${report.ignored.length} of other kinds ignored` : ''}.
      </p>
      <div className="grid grid-cols-2 gap-2 sm:grid-cols-4 lg:grid-cols-7">
        <Count n={s.added.length} label="services added" tone="emerald" />
        <Count n={s.changed.length} label="services changed" tone="amber" />
        <Count n={s.removed.length} label="services removed" tone="red" />
        <Count n={s.unchanged} label="unchanged" />
        <Count n={report.edges.added.length} label="dependencies added" tone="emerald" />
        <Count n={report.edges.removed.length} label="dependencies removed" tone="red" />
        <Count n={report.invalid.length} label="invalid entities" tone="red" />
      </div>
      <div className="grid gap-4 md:grid-cols-3">
        <List title="Added" items={s.added} mark="+" className="text-emerald-700 dark:text-emerald-400" />
        <List title="Changed" items={s.changed.map((c) => `${c.slug} (${c.fields.join(', ')})`)} mark="~" className="text-amber-700 dark:text-amber-400" />
        <List title="Removed (kept for history, out of the graph)" items={s.removed} mark="−" className="text-red-700 dark:text-red-400" />
        <List title="Dependencies added" items={report.edges.added.map(([a, b]) => `${a} → ${b}`)} mark="+" />
        <List title="Dependencies removed" items={report.edges.removed.map(([a, b]) => `${a} → ${b}`)} mark="−" />
        <List title="Teams" items={[...report.teams.added.map((t) => `${t} (new)`), ...report.teams.changed.map((t) => `${t} (renamed)`)]} mark="·" />
      </div>
      {report.invalid.length ? (
        <div>
          <h4 className="mb-1 text-sm font-semibold text-red-700 dark:text-red-400">Not imported: fix these and import again</h4>
          <table className="w-full text-left text-sm">
            <thead className="text-xs text-zinc-500 dark:text-zinc-400">
              <tr>
                <th className="w-16 py-1 pr-3 font-medium">Line</th>
                <th className="py-1 pr-3 font-medium">Entity</th>
                <th className="py-1 font-medium">Reason</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {report.invalid.map((p, i) => (
                <tr key={i}>
                  <td className="py-1 pr-3 font-mono tabular">{p.line}</td>
                  <td className="py-1 pr-3 font-mono text-xs">{p.entity ?? '—'}</td>
                  <td className="py-1">{p.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {report.warnings.length ? (
        <details className="text-sm">
          <summary className="cursor-pointer text-zinc-600 dark:text-zinc-300">
            {report.warnings.length} warning{report.warnings.length === 1 ? '' : 's'} (imported anyway)
          </summary>
          <ul className="mt-1 space-y-0.5 text-xs text-zinc-600 dark:text-zinc-400">
            {report.warnings.map((w, i) => (
              <li key={i}>
                <span className="font-mono">line {w.line}</span> {w.entity ? <span className="font-mono">{w.entity}</span> : null}: {w.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {report.rescored.length ? (
        <div>
          <h4 className="mb-1 text-sm font-semibold">Open changes re-scored ({report.rescored.length})</h4>
          <ul className="space-y-0.5 text-sm">
            {report.rescored.map((c) => (
              <li key={c.id}>
                <Link href={`/changes/${c.id}`} className="font-mono text-xs text-accent-700 hover:underline dark:text-accent-500">
                  {c.externalId}
                </Link>{' '}
                <span className="tabular text-zinc-600 dark:text-zinc-300">
                  risk {c.before.score} → {c.after.score}, blast radius {c.before.blastTotal} → {c.after.blastTotal}, approvals required {c.before.required} → {c.after.required}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
