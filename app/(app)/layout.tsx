import Link from 'next/link';
import { Providers } from '@/components/providers';
import { NavLinks, type NavItem } from '@/components/shell/nav-links';
import { SignOutButton } from '@/components/shell/sign-out-button';
import { ThemeToggle } from '@/components/shell/theme-toggle';
import type { Role } from '@/db/schema/enums';
import { requireSession } from '@/lib/auth/current';
import { canAudit, isAdmin, ROLE_LABELS } from '@/lib/auth/roles';

export const dynamic = 'force-dynamic';

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const { person, csrfToken } = await requireSession();
  const role = person.role as Role;
  const items: NavItem[] = [
    { href: '/queue', label: 'Queue' },
    ...(canAudit(role) ? [{ href: '/audit', label: 'Audit' }] : []),
    { href: '/incidents', label: 'Incidents' },
    { href: '/reports/weekly', label: 'Reports' },
    ...(isAdmin(role) ? [{ href: '/triage', label: 'Triage' }, { href: '/admin', label: 'Admin' }] : []),
  ];
  return (
    <Providers>
      <meta name="csrf-token" content={csrfToken} />
      <a href="#main" className="sr-only z-50 rounded-md bg-white px-3 py-2 text-sm font-medium shadow focus:not-sr-only focus:fixed focus:top-2 focus:left-2 dark:bg-zinc-900">
        Skip to main content
      </a>
      <header className="no-print sticky top-0 z-30 border-b border-zinc-200 bg-white/90 backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/90">
        <div className="mx-auto flex min-h-12 max-w-[1400px] flex-wrap items-center gap-x-6 gap-y-1 px-4 py-1.5 md:flex-nowrap md:py-0">
          <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
            <span aria-hidden className="grid size-6 place-items-center rounded-md bg-accent-600 text-[11px] font-bold text-white">
              2✓
            </span>
            Countersign
          </Link>
          <div className="order-last -mx-1 w-full overflow-x-auto md:order-none md:mx-0 md:w-auto">
            <NavLinks items={items} />
          </div>
          <div className="ml-auto flex items-center gap-3">
            <ThemeToggle />
            <div className="flex items-center gap-2 border-l border-zinc-200 pl-3 dark:border-zinc-800" data-testid="signed-in-person">
              <Link href="/me/tokens" aria-label={`${person.name}: your tokens`} className="grid size-7 place-items-center rounded-full bg-zinc-200 text-xs font-semibold text-zinc-700 hover:ring-2 hover:ring-accent-500/40 dark:bg-zinc-700 dark:text-zinc-100">
                {initials(person.name)}
              </Link>
              <div className="hidden leading-tight sm:block">
                <Link href="/me/tokens" className="text-sm font-medium hover:underline" title="Your tokens">
                  {person.name}
                </Link>
                <div className="text-[11px] text-zinc-500 dark:text-zinc-400">
                  {ROLE_LABELS[role]}
                  {person.level ? ` · L${person.level}` : ''}
                  {person.team ? ` · ${person.team}` : ''}
                </div>
              </div>
              <SignOutButton />
            </div>
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto max-w-[1400px] px-4 py-6 focus:outline-none">{children}</main>
    </Providers>
  );
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((p) => p[0]!.toUpperCase())
    .join('');
}
