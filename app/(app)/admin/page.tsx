import { redirect } from 'next/navigation';
import { requireRole } from '@/lib/auth/current';

export const dynamic = 'force-dynamic';

/** /admin opens the first tab. */
export default async function AdminIndex() {
  await requireRole(['admin'], '/admin');
  redirect('/admin/tokens');
}
