'use client';
// API tokens for people and pipelines: create one with the scopes its owner's role allows
// (the secret is shown once, here, and never again), see when each was last used, revoke.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { TOKEN_SCOPES, type Role, type TokenScope } from '@/db/schema/enums';
import { scopesForRole } from '@/lib/auth/roles';
import { formatAge, formatDateTime } from '@/lib/format';
import { apiFetch, ApiError } from '@/lib/http/client-fetch';
import { queryKeys } from '@/lib/query/keys';

export interface TokenRow {
  id: number;
  name: string;
  prefix: string;
  scopes: string[];
  repos: string[];
  person: { handle: string; name: string; isBot: boolean; role: string };
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

interface Owner {
  handle: string;
  name: string;
  role: Role;
  isBot: boolean;
}

const SCOPE_HINT: Record<TokenScope, string> = {
  'changes:write': 'submit changes',
  'gate:read': 'ask the deploy gate',
  'deployments:write': 'report deployments',
  'audit:read': 'read and verify the audit trail',
  approve: 'sign off changes',
  attest: 'attest weekly reports',
  admin: 'manage tokens, people, catalog',
};

const input = 'rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm focus:border-accent-500 focus:ring-2 focus:ring-accent-500/20 focus:outline-none dark:border-zinc-700 dark:bg-zinc-950';

function ago(iso: string, now: number): string {
  const age = formatAge(iso, new Date(now));
  return age === 'just now' ? age : `${age} ago`;
}

function status(t: TokenRow, now: number): { label: string; cls: string } {
  if (t.revokedAt) return { label: 'Revoked', cls: 'text-zinc-500 dark:text-zinc-400' };
  if (t.expiresAt && new Date(t.expiresAt).getTime() <= now) return { label: 'Expired', cls: 'text-zinc-500 dark:text-zinc-400' };
  return { label: 'Active', cls: 'text-emerald-700 dark:text-emerald-400' };
}

export function TokensAdmin({ initial, owners: initialOwners }: { initial: TokenRow[]; owners: Owner[] }) {
  const qc = useQueryClient();
  const ids = { owner: useId(), name: useId(), days: useId(), repos: useId(), pHandle: useId(), pName: useId() };
  const [owners, setOwners] = useState(initialOwners);
  const [addingPipeline, setAddingPipeline] = useState(false);
  const [pipelineHandle, setPipelineHandle] = useState('');
  const [pipelineName, setPipelineName] = useState('');
  const pipelines = owners.filter((o) => o.isBot);
  const humans = owners.filter((o) => !o.isBot);
  const [owner, setOwner] = useState(pipelines[0]?.handle ?? humans[0]?.handle ?? '');
  const [name, setName] = useState('');
  const [days, setDays] = useState('');
  const [repos, setRepos] = useState('');
  const [scopes, setScopes] = useState<Set<TokenScope>>(new Set(['gate:read', 'deployments:write']));
  const [created, setCreated] = useState<{ token: string; person: string; scopes: string[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [showRevoked, setShowRevoked] = useState(false);
  const [now] = useState(() => Date.now());

  const { data: tokens = initial } = useQuery({
    queryKey: queryKeys.tokens,
    queryFn: ({ signal }) => apiFetch<{ items: TokenRow[] }>('/api/v1/tokens', { signal }).then((r) => r.items),
    initialData: initial,
  });

  const ownerRole = owners.find((o) => o.handle === owner)?.role ?? 'engineer';
  // An approve token is only ever made by its owner, signed in, on their own page (Your tokens).
  const allowed = useMemo(() => new Set<TokenScope>(scopesForRole(ownerRole).filter((s) => s !== 'approve')), [ownerRole]);
  const chosen = [...scopes].filter((s) => allowed.has(s));

  const create = useMutation({
    mutationFn: () =>
      apiFetch<{ token: string; person: string; scopes: string[] }>('/api/v1/tokens', {
        body: {
          person: owner,
          scopes: chosen,
          name: name.trim() || null,
          expiresInDays: days ? Number(days) : null,
          repos: repos.split(/[\s,]+/).filter(Boolean),
        },
      }),
    onMutate: () => {
      setError(null);
      setCreated(null);
    },
    onSuccess: async (res) => {
      setCreated(res);
      setName('');
      await qc.invalidateQueries({ queryKey: queryKeys.tokens });
    },
    onError: (err) => setError(err instanceof ApiError ? err.message : 'Could not reach the server; no token was created.'),
  });

  const addPipeline = useMutation({
    mutationFn: () => apiFetch<{ handle: string; name: string }>('/api/v1/people', { body: { handle: pipelineHandle.trim(), name: pipelineName.trim() || pipelineHandle.trim() } }),
    onMutate: () => setError(null),
    onSuccess: (p) => {
      setOwners((list) => [...list, { handle: p.handle, name: p.name, role: 'engineer', isBot: true }]);
      setOwner(p.handle);
      setAddingPipeline(false);
      setPipelineHandle('');
      setPipelineName('');
    },
    onError: (err) => setError(err instanceof ApiError ? err.message : 'Could not reach the server; no account was added.'),
  });

  const revoke = useMutation({
    mutationFn: (id: number) => apiFetch(`/api/v1/tokens/${id}`, { method: 'DELETE' }),
    onMutate: () => setError(null),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.tokens }),
    onError: (err) => setError(err instanceof ApiError ? err.message : 'Could not reach the server; the token still works.'),
  });

  const visible = tokens.filter((t) => showRevoked || !t.revokedAt);
  const revokedCount = tokens.filter((t) => t.revokedAt).length;

  return (
    <div className="grid items-start gap-5 lg:grid-cols-[360px_minmax(0,1fr)]">
      <section aria-labelledby="new-token" className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <h2 id="new-token" className="mb-3 text-sm font-semibold">New token</h2>
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <label htmlFor={ids.owner} className="block text-xs font-medium text-zinc-600 dark:text-zinc-300">
            For
            <select id={ids.owner} value={owner} onChange={(e) => setOwner(e.target.value)} className={`${input} mt-1 block w-full`}>
              <optgroup label="Pipelines and bots">
                {pipelines.map((o) => (
                  <option key={o.handle} value={o.handle}>
                    {o.handle}
                  </option>
                ))}
              </optgroup>
              <optgroup label="People">
                {humans.map((o) => (
                  <option key={o.handle} value={o.handle}>
                    {o.name} ({o.handle}, {o.role})
                  </option>
                ))}
              </optgroup>
            </select>
          </label>
          {addingPipeline ? (
            <div className="space-y-2 rounded-md border border-zinc-200 bg-zinc-50 p-2.5 dark:border-zinc-800 dark:bg-zinc-950/50">
              <div className="grid grid-cols-2 gap-2">
                <label htmlFor={ids.pHandle} className="text-xs font-medium text-zinc-600 dark:text-zinc-300">
                  Pipeline handle
                  <input id={ids.pHandle} value={pipelineHandle} onChange={(e) => setPipelineHandle(e.target.value.toLowerCase())} placeholder="checkout-deploy" className={`${input} mt-1 block w-full`} />
                </label>
                <label htmlFor={ids.pName} className="text-xs font-medium text-zinc-600 dark:text-zinc-300">
                  Display name
                  <input id={ids.pName} value={pipelineName} onChange={(e) => setPipelineName(e.target.value)} placeholder="Checkout deploy (GitHub Actions)" className={`${input} mt-1 block w-full`} />
                </label>
              </div>
              <div className="flex gap-2">
                <button type="button" disabled={addPipeline.isPending || pipelineHandle.trim().length < 2} onClick={() => addPipeline.mutate()} className="rounded-md border border-zinc-300 bg-white px-2.5 py-1 text-xs font-medium hover:bg-zinc-50 disabled:opacity-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800">
                  {addPipeline.isPending ? 'Adding…' : 'Add pipeline account'}
                </button>
                <button type="button" onClick={() => setAddingPipeline(false)} className="px-1.5 text-xs text-zinc-500 hover:text-zinc-900 dark:hover:text-zinc-100">
                  Cancel
                </button>
              </div>
            </div>
          ) : (
            <button type="button" onClick={() => setAddingPipeline(true)} className="text-xs font-medium text-accent-600 hover:underline dark:text-accent-500">
              + New pipeline account
            </button>
          )}
          <fieldset>
            <legend className="text-xs font-medium text-zinc-600 dark:text-zinc-300">Scopes</legend>
            <div className="mt-1 space-y-1">
              {TOKEN_SCOPES.map((s) => {
                const ok = allowed.has(s);
                return (
                  <label key={s} className={`flex items-baseline gap-2 text-sm ${ok ? '' : 'text-zinc-400 dark:text-zinc-600'}`} title={ok ? undefined : s === 'approve' ? 'Only its owner can create an approve token, signed in, from Your tokens.' : `A ${ownerRole} cannot hold ${s}.`}>
                    <input
                      type="checkbox"
                      disabled={!ok}
                      checked={ok && scopes.has(s)}
                      onChange={(e) => {
                        const next = new Set(scopes);
                        if (e.target.checked) next.add(s);
                        else next.delete(s);
                        setScopes(next);
                      }}
                      className="accent-accent-600"
                    />
                    <span className="font-mono text-[13px]">{s}</span>
                    <span className="text-xs text-zinc-500 dark:text-zinc-400">{SCOPE_HINT[s]}</span>
                  </label>
                );
              })}
            </div>
          </fieldset>
          {chosen.includes('deployments:write') ? (
            <label htmlFor={ids.repos} className="block text-xs font-medium text-zinc-600 dark:text-zinc-300">
              Repositories it deploys
              <input id={ids.repos} value={repos} onChange={(e) => setRepos(e.target.value)} placeholder="acme/checkout, acme/cart" className={`${input} mt-1 block w-full font-mono`} />
              <span className="mt-1 block font-normal text-zinc-500 dark:text-zinc-400">
                It may report deployments only of changes in these repositories (refused with repository_not_bound otherwise; administrators excepted).
              </span>
            </label>
          ) : null}
          <div className="grid grid-cols-[1fr_110px] gap-2">
            <label htmlFor={ids.name} className="text-xs font-medium text-zinc-600 dark:text-zinc-300">
              Name
              <input id={ids.name} value={name} onChange={(e) => setName(e.target.value)} placeholder="checkout deploy pipeline" maxLength={100} className={`${input} mt-1 block w-full`} />
            </label>
            <label htmlFor={ids.days} className="text-xs font-medium text-zinc-600 dark:text-zinc-300">
              Expires in days
              <input id={ids.days} value={days} onChange={(e) => setDays(e.target.value.replace(/\D/g, ''))} inputMode="numeric" placeholder="never" className={`${input} mt-1 block w-full tabular`} />
            </label>
          </div>
          <button type="submit" disabled={create.isPending || !owner || chosen.length === 0} className="rounded-md bg-accent-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-accent-700 disabled:opacity-50">
            {create.isPending ? 'Creating…' : 'Create token'}
          </button>
        </form>
        {created ? (
          <div role="status" className="mt-4 rounded-md bg-amber-50 p-3 ring-1 ring-amber-600/25 dark:bg-amber-500/10 dark:ring-amber-400/25" data-testid="new-token-secret">
            <p className="text-sm font-semibold text-amber-900 dark:text-amber-200">Copy it now: it is shown only once.</p>
            <p className="mt-0.5 text-xs text-amber-900/80 dark:text-amber-200/80">
              For {created.person} with {created.scopes.join(', ')}. Store it in your CI secrets as <code className="font-mono">COUNTERSIGN_TOKEN</code>.
            </p>
            <div className="mt-2 flex items-center gap-2">
              <code data-testid="token-value" className="min-w-0 flex-1 truncate rounded bg-white px-2 py-1 font-mono text-xs ring-1 ring-amber-600/20 select-all dark:bg-zinc-950">{created.token}</code>
              <button type="button" onClick={() => void navigator.clipboard?.writeText(created.token)} className="rounded-md border border-amber-600/30 px-2 py-1 text-xs font-medium text-amber-900 hover:bg-amber-100 dark:text-amber-200 dark:hover:bg-amber-500/20">
                Copy
              </button>
            </div>
          </div>
        ) : null}
        {error ? (
          <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-500/10 dark:text-red-200">
            {error}
          </p>
        ) : null}
      </section>

      <section aria-labelledby="token-list" className="overflow-hidden rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <div className="flex items-baseline justify-between border-b border-zinc-200 px-4 py-2.5 dark:border-zinc-800">
          <h2 id="token-list" className="text-sm font-semibold">
            Tokens <span className="font-normal text-zinc-500 tabular dark:text-zinc-400">{tokens.filter((t) => status(t, now).label === 'Active').length} active</span>
          </h2>
          {revokedCount ? (
            <label className="flex items-center gap-1.5 text-xs text-zinc-500 dark:text-zinc-400">
              <input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} className="accent-accent-600" />
              Show {revokedCount} revoked
            </label>
          ) : null}
        </div>
        {visible.length ? (
          <table className="w-full text-left text-sm">
            <thead className="bg-zinc-50 text-xs text-zinc-500 dark:bg-zinc-900/60 dark:text-zinc-400">
              <tr>
                <th className="px-3 py-2 font-medium">Token</th>
                <th className="px-3 py-2 font-medium">Owner</th>
                <th className="px-3 py-2 font-medium">Scopes</th>
                <th className="px-3 py-2 font-medium">Created</th>
                <th className="px-3 py-2 font-medium">Last used</th>
                <th className="px-3 py-2 font-medium">Status</th>
                <th className="px-3 py-2" />
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {visible.map((t) => {
                const st = status(t, now);
                return (
                  <tr key={t.id} className={t.revokedAt ? 'opacity-60' : ''}>
                    <td className="px-3 py-2">
                      <div className="font-medium">{t.name}</div>
                      <div className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{t.prefix}…</div>
                    </td>
                    <td className="px-3 py-2">
                      <div>{t.person.handle}</div>
                      <div className="text-xs text-zinc-500 dark:text-zinc-400">{t.person.isBot ? 'pipeline / bot' : t.person.role}</div>
                    </td>
                    <td className="px-3 py-2">
                      <div className="flex flex-wrap gap-1">
                        {t.scopes.map((s) => (
                          <span key={s} className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-[11px] text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
                            {s}
                          </span>
                        ))}
                      </div>
                      {t.repos?.length ? <div className="mt-1 font-mono text-[11px] text-zinc-500 dark:text-zinc-400">deploys {t.repos.join(', ')}</div> : null}
                    </td>
                    <td className="px-3 py-2 text-xs text-zinc-500 dark:text-zinc-400" title={formatDateTime(t.createdAt)}>
                      {ago(t.createdAt, now)}{t.createdBy ? ` by ${t.createdBy}` : ' (CLI)'}
                    </td>
                    <td className="px-3 py-2 text-xs text-zinc-500 tabular dark:text-zinc-400">{t.lastUsedAt ? ago(t.lastUsedAt, now) : 'never'}</td>
                    <td className={`px-3 py-2 text-xs font-medium ${st.cls}`}>
                      {st.label}
                      {!t.revokedAt && t.expiresAt ? <div className="font-normal text-zinc-500 dark:text-zinc-400">until {formatDateTime(t.expiresAt).slice(0, 10)}</div> : null}
                    </td>
                    <td className="px-3 py-2 text-right">
                      {!t.revokedAt ? (
                        <button
                          type="button"
                          disabled={revoke.isPending}
                          onClick={() => {
                            if (window.confirm(`Revoke “${t.name}” (${t.prefix}…)? Anything using it is refused from now on.`)) revoke.mutate(t.id);
                          }}
                          className="rounded-md px-2 py-1 text-xs font-medium text-red-700 hover:bg-red-50 disabled:opacity-50 dark:text-red-300 dark:hover:bg-red-500/10"
                        >
                          Revoke
                        </button>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : (
          <p className="p-8 text-center text-sm text-zinc-500 dark:text-zinc-400">
            No tokens yet. Create one for each pipeline that submits changes, asks the gate or reports deployments.
          </p>
        )}
      </section>
    </div>
  );
}
