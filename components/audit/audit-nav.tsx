// Tabs between the audit timeline and the compliance view.
import Link from 'next/link';

export function AuditNav({ current }: { current: 'timeline' | 'compliance' }) {
  const tab = (active: boolean) =>
    `rounded-md px-2.5 py-1 text-sm font-medium ${active ? 'bg-zinc-200 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100' : 'text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800'}`;
  return (
    <nav aria-label="Audit views" className="no-print flex gap-1">
      <Link href="/audit" className={tab(current === 'timeline')} aria-current={current === 'timeline' ? 'page' : undefined}>
        Timeline
      </Link>
      <Link href="/audit/compliance" className={tab(current === 'compliance')} aria-current={current === 'compliance' ? 'page' : undefined}>
        Compliance
      </Link>
    </nav>
  );
}
