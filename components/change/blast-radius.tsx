// The blast radius: an SVG graph (nodes coloured by tier, changed services outlined, edges toward
// dependents) and the table of every affected service with its depth and the path that reaches it.
import type { ChangeDetail } from '@/db/queries/change-detail';
import type { Tier } from '@/db/schema/enums';
import { TierBadge } from '@/components/ui/badges';
import { edgePath, layoutBlastGraph, NODE_HEIGHT } from './blast-graph-layout';

const NODE_STYLE: Record<Tier, { box: string; pill: string; text: string }> = {
  1: { box: 'fill-rose-50 stroke-rose-300 dark:fill-rose-950 dark:stroke-rose-800', pill: 'fill-rose-600 dark:fill-rose-500', text: 'fill-rose-950 dark:fill-rose-100' },
  2: { box: 'fill-sky-50 stroke-sky-300 dark:fill-sky-950 dark:stroke-sky-800', pill: 'fill-sky-600 dark:fill-sky-500', text: 'fill-sky-950 dark:fill-sky-100' },
  3: { box: 'fill-zinc-50 stroke-zinc-300 dark:fill-zinc-800 dark:stroke-zinc-600', pill: 'fill-zinc-500 dark:fill-zinc-400', text: 'fill-zinc-800 dark:fill-zinc-100' },
};

/** `allHref`: where the whole list is, when the detail holds only the nearest services. */
export function BlastRadius({ blast, allHref }: { blast: ChangeDetail['blastRadius']; allHref?: string }) {
  if (!blast.changed.length) {
    return <p className="text-sm text-zinc-500 dark:text-zinc-400">This change is not mapped to a service, so its blast radius is unknown. Map its repository or paths to a service in the catalog.</p>;
  }
  const layout = layoutBlastGraph(blast);
  const maxDepth = Math.max(0, ...blast.services.map((s) => s.depth));
  return (
    <div>
      <dl className="mb-3 flex flex-wrap gap-x-6 gap-y-1 text-sm">
        <div className="flex items-baseline gap-1.5">
          <dt className="text-zinc-500 dark:text-zinc-400">Affected services</dt>
          <dd className="font-semibold tabular" data-testid="blast-total">{blast.total}</dd>
        </div>
        <div className="flex items-baseline gap-1.5">
          <dt className="text-zinc-500 dark:text-zinc-400">Tier-1</dt>
          <dd className={`font-semibold tabular ${blast.tier1 ? 'text-rose-600 dark:text-rose-400' : ''}`} data-testid="blast-tier1">{blast.tier1}</dd>
        </div>
        <div className="flex items-baseline gap-1.5">
          <dt className="text-zinc-500 dark:text-zinc-400">Deepest</dt>
          <dd className="font-semibold tabular">{maxDepth ? `${maxDepth} ${maxDepth === 1 ? 'hop' : 'hops'}` : '—'}</dd>
        </div>
      </dl>

      {blast.total === 0 ? (
        <p className="mb-3 text-sm text-zinc-500 dark:text-zinc-400">No service depends on {blast.changed.map((c) => c.slug).join(' or ')}: the blast radius is the change itself.</p>
      ) : null}

      <div className="overflow-x-auto rounded-md border border-zinc-200 bg-zinc-50/50 p-2 dark:border-zinc-800 dark:bg-zinc-950/40">
        <svg
          data-testid="blast-radius-graph"
          role="img"
          aria-label={`Blast radius graph: ${blast.changed.map((c) => c.slug).join(', ')} and ${blast.total} dependent services, ${blast.tier1} of them Tier-1`}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          width={layout.width}
          height={layout.height}
          className="mx-auto block max-w-full h-auto"
        >
          <defs>
            <marker id="blast-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L8,4 L0,8 z" className="fill-zinc-400 dark:fill-zinc-500" />
            </marker>
            <marker id="blast-arrow-direct" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L8,4 L0,8 z" className="fill-accent-600 dark:fill-accent-500" />
            </marker>
          </defs>
          <g fill="none">
            {layout.edges.map((e) => (
              <path
                key={`${e.from}>${e.to}`}
                d={edgePath(e.points)}
                markerEnd={`url(#${e.direct ? 'blast-arrow-direct' : 'blast-arrow'})`}
                className={e.direct ? 'stroke-accent-600/70 dark:stroke-accent-500/80' : 'stroke-zinc-300 dark:stroke-zinc-600'}
                strokeWidth={e.direct ? 1.5 : 1}
              >
                <title>{`${e.to} depends on ${e.from}`}</title>
              </path>
            ))}
          </g>
          {layout.nodes.map((n) => {
            const s = NODE_STYLE[n.tier];
            const x = n.x - n.width / 2;
            const y = n.y - NODE_HEIGHT / 2;
            return (
              <g key={n.slug} data-slug={n.slug} data-changed={n.changed || undefined}>
                <title>{n.changed ? `${n.slug}: changed (Tier ${n.tier})` : `${n.slug}: Tier ${n.tier}, ${n.depth} ${n.depth === 1 ? 'hop' : 'hops'} away (${n.path.join(' → ')})`}</title>
                <rect x={x} y={y} width={n.width} height={NODE_HEIGHT} rx={6} className={n.changed ? 'fill-white stroke-accent-600 dark:fill-zinc-900 dark:stroke-accent-500' : s.box} strokeWidth={n.changed ? 2.5 : 1} />
                <rect x={x + 6} y={y + 7} width={22} height={14} rx={3} className={s.pill} />
                <text x={x + 17} y={n.y + 0.5} textAnchor="middle" dominantBaseline="middle" className="fill-white text-[9px] font-bold">
                  T{n.tier}
                </text>
                <text x={x + 34} y={n.y + 0.5} dominantBaseline="middle" className={`text-[12px] ${n.changed ? 'fill-zinc-900 font-semibold dark:fill-white' : s.text}`}>
                  {n.slug}
                </text>
              </g>
            );
          })}
        </svg>
      </div>
      <div className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-zinc-500 dark:text-zinc-400">
        <Legend swatch="border-2 border-accent-600 bg-white dark:bg-zinc-900" label="Changed" />
        <Legend swatch="border border-rose-300 bg-rose-50 dark:border-rose-800 dark:bg-rose-950" label="Tier 1" />
        <Legend swatch="border border-sky-300 bg-sky-50 dark:border-sky-800 dark:bg-sky-950" label="Tier 2" />
        <Legend swatch="border border-zinc-300 bg-zinc-50 dark:border-zinc-600 dark:bg-zinc-800" label="Tier 3" />
        <span>Arrows point from a service to those that depend on it, along the shortest path (listed below).</span>
        {layout.trimmedToDepth !== null ? (
          <span className="font-medium">
            The graph shows depths 1–{layout.trimmedToDepth}; the table lists {blast.truncated ? `the nearest ${blast.services.length.toLocaleString('en-US')}` : `all ${blast.total.toLocaleString('en-US')}`}.
          </span>
        ) : null}
      </div>

      {blast.services.length ? (
        <div className="mt-4 overflow-x-auto rounded-md border border-zinc-200 dark:border-zinc-800">
          <table className="w-full text-left text-sm" aria-label="Affected services">
            <thead className="bg-zinc-50 text-xs text-zinc-500 dark:bg-zinc-900/60 dark:text-zinc-400">
              <tr>
                <th scope="col" className="px-3 py-1.5 font-medium">Service</th>
                <th scope="col" className="px-3 py-1.5 font-medium">Tier</th>
                <th scope="col" className="px-3 py-1.5 text-right font-medium">Depth</th>
                <th scope="col" className="px-3 py-1.5 font-medium">Path</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {blast.services.map((s) => (
                <tr key={s.slug}>
                  <td className="px-3 py-1.5 font-medium">{s.slug}</td>
                  <td className="px-3 py-1.5">
                    <TierBadge tier={s.tier} />
                  </td>
                  <td className="px-3 py-1.5 text-right tabular">{s.depth}</td>
                  <td className="px-3 py-1.5 font-mono text-xs text-zinc-600 dark:text-zinc-300">{s.path.join(' → ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {blast.truncated ? (
            <p className="border-t border-zinc-200 px-3 py-2 text-sm text-zinc-600 dark:border-zinc-800 dark:text-zinc-300" data-testid="blast-truncated">
              The nearest {blast.services.length.toLocaleString('en-US')} of {blast.total.toLocaleString('en-US')} affected services.{' '}
              {allHref ? (
                <a href={allHref} className="font-medium text-accent-700 underline-offset-2 hover:underline dark:text-accent-400">
                  List all {blast.total.toLocaleString('en-US')}
                </a>
              ) : null}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

function Legend({ swatch, label }: { swatch: string; label: string }) {
  return (
    <span className="inline-flex items-center gap-1.5">
      <span className={`inline-block h-3 w-4 rounded-sm ${swatch}`} aria-hidden />
      {label}
    </span>
  );
}
