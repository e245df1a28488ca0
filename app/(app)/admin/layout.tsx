// Administration: API tokens, people and levels, the policy, AI detection, the service catalog. Admins only:
// everyone else gets the 403 page (each page checks again; a layout alone is not a guard).
import { AdminTabs } from '@/components/admin/admin-tabs';
import { PendingConfirmations } from '@/components/admin/pending-confirmations';
import { getDb } from '@/db';
import { listConfirmations } from '@/lib/admin/confirmations';
import { requireRole } from '@/lib/auth/current';

export const dynamic = 'force-dynamic';

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const { person } = await requireRole(['admin'], '/admin');
  const pending = await listConfirmations(await getDb(), 'pending');
  return (
    <div>
      <div className="mb-3">
        <h1 className="text-lg font-semibold tracking-tight">Administration</h1>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">Who may do what: tokens for people and pipelines, levels and roles, the sign-off policy, how AI involvement is detected, the service catalog.</p>
      </div>
      <PendingConfirmations items={pending} me={person.handle} />
      <AdminTabs />
      <div className="pt-5">{children}</div>
    </div>
  );
}
