import type { Metadata } from 'next';
import { OwnTokens } from '@/components/me/own-tokens';
import type { Role } from '@/db/schema/enums';
import { requireSession } from '@/lib/auth/current';
import { scopesForRole } from '@/lib/auth/roles';

export const metadata: Metadata = { title: 'Your tokens' };
export const dynamic = 'force-dynamic';

/** A person's own API tokens: the only place an approve token is made, by its owner, signed in. */
export default async function OwnTokensPage() {
  const { person } = await requireSession();
  return (
    <div className="max-w-xl space-y-4">
      <h1 className="text-lg font-semibold">Your tokens</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-300">
        A token acts as you. Only you can create a token that signs off changes (<span className="font-mono">approve</span>): an administrator cannot create one for you.
      </p>
      <OwnTokens scopes={scopesForRole(person.role as Role)} />
    </div>
  );
}
