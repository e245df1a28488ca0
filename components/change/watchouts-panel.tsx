// Institutional memory on this change: each watch-out with its author, date and why it matched.
import type { ChangeDetail } from '@/db/queries/change-detail';
import { AddWatchoutForm } from './add-watchout-form';
import { RichText } from './rich-text';

const SCOPE_LABEL = { service: 'Service', path: 'Path', config_key: 'Config key' } as const;
/** Every direct match is shown, and neighbours' up to a handful; the rest one click away. */
const NEIGHBOURS_SHOWN = 3;

export function WatchoutsPanel({ change, canAdd, services }: { change: ChangeDetail; canAdd: boolean; services: string[] }) {
  const direct = change.watchouts.filter((w) => w.strength === 'direct');
  const near = change.watchouts.filter((w) => w.strength !== 'direct');
  const shown = [...direct, ...near.slice(0, NEIGHBOURS_SHOWN)];
  const rest = near.slice(NEIGHBOURS_SHOWN);
  return (
    <div>
      {change.watchouts.length ? (
        <>
          <WatchoutList items={shown} />
          {rest.length ? (
            <details className="mt-3">
              <summary className="cursor-pointer text-xs font-medium text-zinc-600 select-none hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">
                {rest.length} more on neighbouring services
              </summary>
              <div className="mt-3">
                <WatchoutList items={rest} />
              </div>
            </details>
          ) : null}
        </>
      ) : (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">
          No watch-out matches this change. Seniors write them for what only experience teaches: they surface on every change that touches the same service, its neighbours, paths or config keys.
        </p>
      )}
      {canAdd ? <AddWatchoutForm changeId={change.id} services={services} /> : null}
    </div>
  );
}

function WatchoutList({ items }: { items: ChangeDetail['watchouts'] }) {
  return (
    <ul className="space-y-3">
      {items.map((w) => (
        <li key={w.id} data-watchout={w.id} className={`rounded-md border-l-[3px] py-1 pl-3 ${w.strength === 'direct' ? 'border-amber-500' : 'border-zinc-300 dark:border-zinc-600'}`}>
          <div className="flex flex-wrap items-center gap-1.5 text-[11px]">
            <span className="rounded bg-zinc-100 px-1.5 py-0.5 font-medium text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
              {SCOPE_LABEL[w.scope]}
            </span>
            <code className="font-mono text-zinc-700 dark:text-zinc-200">{w.scope === 'service' ? w.service : w.pattern}</code>
          </div>
          <p className="mt-1 text-[13px] leading-snug whitespace-pre-line text-zinc-800 dark:text-zinc-200"><RichText text={w.text} /></p>
          <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
            {w.author.name} · <time dateTime={w.createdAt}>{new Date(w.createdAt).toISOString().slice(0, 10)}</time>
          </p>
          <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">
            <span className="font-medium">Why here:</span> <RichText text={w.reason} />
          </p>
        </li>
      ))}
    </ul>
  );
}
