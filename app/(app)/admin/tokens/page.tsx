import type { Metadata } from 'next';
import { TokensAdmin, type TokenRow } from '@/components/admin/tokens-admin';
import { getDb } from '@/db';
import { listPeopleForAdmin } from '@/db/queries/admin';
import { requireRole } from '@/lib/auth/current';
import { listApiTokens } from '@/lib/auth/tokens';

export const metadata: Metadata = { title: 'API tokens' };
export const dynamic = 'force-dynamic';

export default async function TokensPage() {
  await requireRole(['admin'], '/admin/tokens');
  const db = await getDb();
  const [tokens, people] = await Promise.all([listApiTokens(db), listPeopleForAdmin(db)]);
  const owners = people.filter((p) => !p.deactivated).map((p) => ({ handle: p.handle, name: p.name, role: p.role, isBot: p.isBot }));
  return <TokensAdmin initial={JSON.parse(JSON.stringify(tokens)) as TokenRow[]} owners={owners} />;
}
