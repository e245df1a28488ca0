'use client';
// The tabs of /admin; the catalog tab is the import page of the catalog's own area.
import Link from 'next/link';
import { usePathname } from 'next/navigation';

const TABS = [
  { href: '/admin/tokens', label: 'Tokens' },
  { href: '/admin/people', label: 'People' },
  { href: '/admin/policy', label: 'Policy' },
  { href: '/admin/ai-detection', label: 'AI detection' },
  { href: '/admin/catalog', label: 'Catalog' },
] as const;

export function AdminTabs() {
  const pathname = usePathname();
  return (
    <nav aria-label="Administration" className="flex gap-1 border-b border-zinc-200 dark:border-zinc-800">
      {TABS.map((t) => {
        const active = pathname.startsWith(t.href);
        return (
          <Link
            key={t.href}
            href={t.href}
            aria-current={active ? 'page' : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium transition-colors ${
              active
                ? 'border-accent-600 text-zinc-900 dark:border-accent-500 dark:text-zinc-100'
                : 'border-transparent text-zinc-500 hover:border-zinc-300 hover:text-zinc-900 dark:text-zinc-400 dark:hover:border-zinc-600 dark:hover:text-zinc-100'
            }`}
          >
            {t.label}
          </Link>
        );
      })}
    </nav>
  );
}
