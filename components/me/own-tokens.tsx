'use client';
// A person creates a token for themselves; the secret is shown once, here.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { TokenScope } from '@/db/schema/enums';
import { apiFetch, ApiError } from '@/lib/http/client-fetch';

export function OwnTokens({ scopes: allowed }: { scopes: readonly TokenScope[] }) {
  const router = useRouter();
  const [scopes, setScopes] = useState<Set<TokenScope>>(new Set(allowed.includes('approve') ? ['approve'] : allowed.slice(0, 1)));
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => apiFetch<{ token: string }>('/api/v1/me/tokens', { body: { scopes: [...scopes], name: name.trim() || null } }),
    onMutate: () => {
      setError(null);
      setCreated(null);
    },
    onSuccess: (res) => {
      setCreated(res.token);
      router.refresh();
    },
    onError: (err) => setError(err instanceof ApiError ? err.message : 'Could not reach the server; no token was created.'),
  });
  return (
    <form
      className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <fieldset>
        <legend className="text-xs font-medium text-zinc-600 dark:text-zinc-300">Scopes</legend>
        {allowed.map((s) => (
          <label key={s} className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={scopes.has(s)}
              onChange={(e) => {
                const next = new Set(scopes);
                if (e.target.checked) next.add(s);
                else next.delete(s);
                setScopes(next);
              }}
            />
            <span className="font-mono text-[13px]">{s}</span>
          </label>
        ))}
      </fieldset>
      <label className="block text-xs font-medium text-zinc-600 dark:text-zinc-300">
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} placeholder="my laptop" className="mt-1 block w-full rounded-md border border-zinc-300 px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-950" />
      </label>
      <button type="submit" disabled={create.isPending || scopes.size === 0} className="rounded-md bg-accent-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-accent-700 disabled:opacity-50">
        {create.isPending ? 'Creating…' : 'Create my token'}
      </button>
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
      {created && (
        <p className="text-sm" data-testid="own-token-secret">
          Copy it now, it is not shown again: <code className="font-mono break-all">{created}</code>
        </p>
      )}
    </form>
  );
}

/** Revokes one of the signed-in person's own tokens at once. */
export function RevokeOwnToken({ id, name }: { id: number; name: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const revoke = useMutation({
    mutationFn: () => apiFetch(`/api/v1/me/tokens/${id}`, { method: 'DELETE' }),
    onMutate: () => setError(null),
    onSuccess: () => router.refresh(),
    onError: (err) => setError(err instanceof ApiError ? err.message : 'Could not reach the server; the token still works.'),
  });
  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" aria-label={`Revoke ${name}`} disabled={revoke.isPending} onClick={() => revoke.mutate()} className="text-sm text-red-700 hover:underline disabled:opacity-50 dark:text-red-400">
        {revoke.isPending ? 'Revoking…' : 'Revoke'}
      </button>
      {error ? (
        <span role="alert" className="text-xs text-red-700 dark:text-red-400">
          {error}
        </span>
      ) : null}
    </span>
  );
}
