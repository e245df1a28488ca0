import type { Metadata } from 'next';
import { OwnTokens, RevokeOwnToken } from '@/components/me/own-tokens';
import { getDb } from '@/db';
import type { Role } from '@/db/schema/enums';
import { requireSession } from '@/lib/auth/current';
import { scopesForRole } from '@/lib/auth/roles';
import { listApiTokens } from '@/lib/auth/tokens';
import { formatDateTime } from '@/lib/format';

export const metadata: Metadata = { title: 'Your tokens' };
export const dynamic = 'force-dynamic';

/** A person's own API tokens: the only place an approve token is made, by its owner, signed in; listed and revocable here. */
export default async function OwnTokensPage() {
  const { person } = await requireSession();
  const now = new Date();
  const tokens = (await listApiTokens(await getDb(), { personId: person.id })).filter((t) => !t.revokedAt && (!t.expiresAt || t.expiresAt > now));
  return (
    <div className="max-w-3xl space-y-4">
      <h1 className="text-lg font-semibold">Your tokens</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-300">
        A token acts as you. Only you can create a token that signs off changes (<span className="font-mono">approve</span>): an administrator cannot create one for you.
      </p>
      <section aria-labelledby="own-tokens-title" className="rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <h2 id="own-tokens-title" className="border-b border-zinc-200 px-4 py-2 text-sm font-semibold dark:border-zinc-800">
          Active <span className="font-normal text-zinc-500 tabular">({tokens.length})</span>
        </h2>
        {tokens.length ? (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" data-testid="own-tokens">
            {tokens.map((t) => (
              <li key={t.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-2 text-sm">
                <span className="min-w-0 font-medium break-words">{t.name}</span>
                <span className="font-mono text-xs text-zinc-500">{t.prefix}…</span>
                <span className="font-mono text-xs">{t.scopes.join(' ')}</span>
                <span className="text-xs text-zinc-500">
                  created {formatDateTime(t.createdAt)}
                  {t.createdBy && t.createdBy !== person.handle ? ` by ${t.createdBy}` : ''} · {t.lastUsedAt ? `last used ${formatDateTime(t.lastUsedAt)}` : 'never used'}
                  {t.expiresAt ? ` · expires ${formatDateTime(t.expiresAt)}` : ''}
                </span>
                <span className="ml-auto">
                  <RevokeOwnToken id={t.id} name={t.name} />
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="px-4 py-3 text-sm text-zinc-500">No active token.</p>
        )}
      </section>
      <div className="max-w-xl">
        <OwnTokens scopes={scopesForRole(person.role as Role)} />
      </div>
    </div>
  );
}
