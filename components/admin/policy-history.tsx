// Recent changes to the policy, from the audit trail: who changed what, when, and how many
// open changes it re-weighed.
import Link from 'next/link';
import { formatDateTime } from '@/lib/format';
import { formatPolicyValue, POLICY_FIELD_BY_PATH } from '@/lib/policy/fields';
import type { PolicyChange } from '@/lib/policy/history';

export function PolicyHistory({ items }: { items: PolicyChange[] }) {
  return (
    <section aria-labelledby="policy-history" className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900" data-testid="policy-history">
      <div className="mb-2 flex items-baseline justify-between gap-2">
        <h2 id="policy-history" className="text-sm font-semibold">
          Recent changes
        </h2>
        <Link href="/audit?kind=policy" className="text-xs font-medium text-accent-600 hover:underline dark:text-accent-500">
          In the audit trail
        </Link>
      </div>
      {items.length ? (
        <ol className="space-y-3">
          {items.map((h) => (
            <li key={h.id} className="text-sm" data-testid="policy-history-item">
              <div className="flex flex-wrap items-baseline justify-between gap-x-2 text-xs text-zinc-500 dark:text-zinc-400">
                <span>
                  <span className="font-medium text-zinc-800 dark:text-zinc-200">{h.actor}</span>
                </span>
                <time dateTime={h.occurredAt} className="tabular">
                  {formatDateTime(h.occurredAt)}
                </time>
              </div>
              <ul className="mt-1 space-y-0.5">
                {h.fields.map((f) => (
                  <li key={f.path} className="flex flex-wrap items-baseline gap-x-1.5">
                    <span>{f.label ?? POLICY_FIELD_BY_PATH.get(f.path)?.label ?? f.path}</span>
                    <span className="text-zinc-500 tabular dark:text-zinc-400">{formatPolicyValue(f.path, f.from)}</span>
                    <span aria-hidden className="text-zinc-400">
                      →
                    </span>
                    <span className="sr-only">to</span>
                    <span className="font-semibold tabular">{formatPolicyValue(f.path, f.to)}</span>
                  </li>
                ))}
              </ul>
              {h.reweighed ? (
                <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">
                  {h.reweighed} open change{h.reweighed === 1 ? '' : 's'} re-weighed
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      ) : (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">No change since the defaults. Changes made here are listed with who made them and when.</p>
      )}
    </section>
  );
}
