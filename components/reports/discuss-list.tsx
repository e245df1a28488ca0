// "What leaders must discuss": the generated sentences, most important first, with links.
import Link from 'next/link';
import type { DiscussItem, TextPart } from '@/lib/reports/types';

const MARK = {
  critical: 'bg-red-600 dark:bg-red-500',
  warning: 'bg-amber-500',
  info: 'bg-accent-500',
} as const;
const LABEL = { critical: 'Must discuss', warning: 'Watch', info: 'For information' } as const;

export function Parts({ parts }: { parts: TextPart[] }) {
  return (
    <>
      {parts.map((p, i) =>
        typeof p === 'string' ? (
          <span key={i}>{p}</span>
        ) : (
          <Link key={i} href={p.href} className="font-mono text-[0.92em] font-medium text-accent-700 hover:underline dark:text-accent-500">
            {p.text}
          </Link>
        ),
      )}
    </>
  );
}

export function DiscussList({ items }: { items: DiscussItem[] }) {
  return (
    <ol className="divide-y divide-zinc-100 dark:divide-zinc-800" data-testid="discuss-list">
      {items.map((d) => (
        <li key={d.key} className="flex gap-3 py-2.5 break-inside-avoid">
          <span className={`mt-1.5 size-2.5 shrink-0 rounded-full ${MARK[d.tone]}`} title={LABEL[d.tone]} aria-label={LABEL[d.tone]} />
          <p className={`leading-relaxed ${d.tone === 'critical' ? 'font-medium text-zinc-900 dark:text-zinc-50' : 'text-zinc-700 dark:text-zinc-300'}`}>
            <Parts parts={d.parts} />
          </p>
        </li>
      ))}
    </ol>
  );
}
