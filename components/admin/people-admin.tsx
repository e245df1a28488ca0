'use client';
// People and levels: an administrator changes someone's level, role or team, or deactivates
// them. Who can sign off Tier-1 follows at once (the server re-weighs standing approvals).
// Accounts start here too: add a person, set someone's password (ending their sessions).
import { useRouter } from 'next/navigation';
import { Fragment, useMemo, useState } from 'react';
import type { AdminPerson } from '@/db/queries/admin';
import { ROLES, type Role } from '@/db/schema/enums';
import { ROLE_LABELS } from '@/lib/auth/roles';
import { apiFetch, ApiError } from '@/lib/http/client-fetch';
import { AddPersonForm, OneTimePasswordNotice, SetPasswordForm, type OneTimePassword } from './account-forms';

const LEVELS = [4, 5, 6, 7, 8, 9, 10];
const select = 'rounded-md border border-zinc-300 bg-white px-1.5 py-1 text-sm disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-950';

interface Draft {
  level: number | null;
  role: Role;
  team: string | null;
}

export function PeopleAdmin({ initial, teams, me, tier1MinLevel, approverRoles }: { initial: AdminPerson[]; teams: { slug: string; name: string }[]; me: string; tier1MinLevel: number; approverRoles: string[] }) {
  const router = useRouter();
  const [rows, setRows] = useState(initial);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [filter, setFilter] = useState('');
  const [adding, setAdding] = useState(false);
  const [passwordFor, setPasswordFor] = useState<string | null>(null);
  /** A generated first password, shown once above the table where the form was. */
  const [secret, setSecret] = useState<OneTimePassword | null>(null);
  /** What setting a password did, shown once in place of the form under that person's row. */
  const [passwordSet, setPasswordSet] = useState<{ handle: string; text: string; secret: OneTimePassword | null } | null>(null);

  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return f ? rows.filter((p) => [p.handle, p.name, p.team ?? '', p.role, p.title ?? ''].some((x) => x.toLowerCase().includes(f))) : rows;
  }, [rows, filter]);
  const tier1Approvers = rows.filter((p) => !p.isBot && !p.deactivated && (p.level ?? 0) >= tier1MinLevel && approverRoles.includes(p.role)).length;

  async function patch(handle: string, body: Record<string, unknown>, done: string) {
    setBusy(handle);
    setMessage(null);
    try {
      const res = await apiFetch<{ level: number | null; role: Role; team: string | null; deactivated: boolean } | { pending: { id: number } }>(`/api/v1/people/${encodeURIComponent(handle)}`, { method: 'PATCH', body });
      setDrafts(({ [handle]: _gone, ...rest }) => rest);
      if ('pending' in res) {
        // A raise waits for a second administrator (Pending confirmations, above).
        setMessage({ kind: 'ok', text: `Asked for confirmation: another administrator must confirm this raise for ${handle} before it takes effect.` });
      } else {
        setRows((list) => list.map((p) => (p.handle === handle ? { ...p, ...res } : p)));
        setMessage({ kind: 'ok', text: done });
      }
      router.refresh();
    } catch (err) {
      setMessage({ kind: 'error', text: err instanceof ApiError ? err.message : 'Could not reach the server; nothing changed.' });
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <input
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder="Filter by name, handle, team or role"
          aria-label="Filter people"
          className="w-72 rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-950"
        />
        <div className="flex flex-wrap items-center gap-3">
          <p className="text-xs text-zinc-500 tabular dark:text-zinc-400">
            {rows.filter((p) => !p.isBot && !p.deactivated).length} people · {rows.filter((p) => p.isBot).length} bots and pipelines · {tier1Approvers} may sign off Tier-1 (L{tier1MinLevel}+ {approverRoles.join('/')})
          </p>
          {adding ? null : (
            <button
              type="button"
              onClick={() => {
                setAdding(true);
                setMessage(null);
              }}
              className="rounded-md bg-accent-600 px-2.5 py-1.5 text-sm font-medium text-white hover:bg-accent-700"
            >
              Add person
            </button>
          )}
        </div>
      </div>
      {adding ? (
        <AddPersonForm
          teams={teams}
          onCancel={() => setAdding(false)}
          onAdded={(person, once) => {
            setRows((list) => [...list, person].sort((a, b) => Number(a.isBot) - Number(b.isBot) || a.name.localeCompare(b.name)));
            setAdding(false);
            setSecret(once);
            setFilter('');
            setMessage({ kind: 'ok', text: `Added ${person.name} (${person.handle}).${once ? '' : person.hasPassword ? ' They can sign in now.' : ''}` });
            router.refresh();
          }}
        />
      ) : null}
      {secret ? <OneTimePasswordNotice secret={secret} onDismiss={() => setSecret(null)} /> : null}
      {message ? (
        <p role={message.kind === 'error' ? 'alert' : 'status'} className={`rounded-md px-3 py-2 text-sm ${message.kind === 'error' ? 'bg-red-50 text-red-800 dark:bg-red-500/10 dark:text-red-200' : 'bg-emerald-50 text-emerald-800 dark:bg-emerald-500/10 dark:text-emerald-200'}`}>
          {message.text}
        </p>
      ) : null}
      <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-zinc-200 bg-zinc-50 text-xs text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900/60 dark:text-zinc-400">
            <tr>
              <th className="px-3 py-2 font-medium">Person</th>
              <th className="px-3 py-2 font-medium">Team</th>
              <th className="px-3 py-2 font-medium">Role</th>
              <th className="px-3 py-2 font-medium">Level</th>
              <th className="px-3 py-2 font-medium">Signs off</th>
              <th className="px-3 py-2 text-right font-medium">Tokens</th>
              <th className="px-3 py-2" />
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {shown.map((p) => {
              const d = drafts[p.handle] ?? { level: p.level, role: p.role, team: p.team };
              const dirty = d.level !== p.level || d.role !== p.role || d.team !== p.team;
              const set = (patchDraft: Partial<Draft>) => setDrafts((all) => ({ ...all, [p.handle]: { ...d, ...patchDraft } }));
              const self = p.handle === me;
              const signs = p.isBot ? 'never (bot)' : !approverRoles.includes(d.role) ? 'no' : (d.level ?? 0) >= tier1MinLevel ? 'Tier-1' : 'Tier-2/3';
              return (
                <Fragment key={p.handle}>
                  <tr className={p.deactivated ? 'bg-zinc-50 text-zinc-400 dark:bg-zinc-950/40 dark:text-zinc-500' : ''} data-handle={p.handle}>
                    <td className="px-3 py-1.5">
                      <div className="font-medium">
                        {p.name} {p.deactivated ? <span className="ml-1 rounded bg-zinc-200 px-1 text-[11px] font-medium text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400">deactivated</span> : null}
                        {!p.isBot && !p.hasPassword && !p.deactivated ? (
                          <span title="They cannot sign in until someone sets a password." className="ml-1 rounded bg-amber-100 px-1 text-[11px] font-medium text-amber-800 dark:bg-amber-500/15 dark:text-amber-300">
                            no password
                          </span>
                        ) : null}
                      </div>
                      <div className="text-xs text-zinc-500 dark:text-zinc-400">
                        <span className="font-mono">{p.handle}</span>
                        {p.title ? ` · ${p.title}` : ''}
                      </div>
                    </td>
                    <td className="px-3 py-1.5">
                      <select aria-label={`Team of ${p.handle}`} value={d.team ?? ''} disabled={busy === p.handle} onChange={(e) => set({ team: e.target.value || null })} className={select}>
                        <option value="">—</option>
                        {teams.map((t) => (
                          <option key={t.slug} value={t.slug}>
                            {t.name}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td className="px-3 py-1.5">
                      <select aria-label={`Role of ${p.handle}`} value={d.role} disabled={busy === p.handle || self} title={self ? 'Another administrator must change your role.' : undefined} onChange={(e) => set({ role: e.target.value as Role })} className={select}>
                        {ROLES.map((r) => (
                          <option key={r} value={r}>
                            {ROLE_LABELS[r]}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td className="px-3 py-1.5">
                      {p.isBot ? (
                        <span className="text-xs text-zinc-400">—</span>
                      ) : (
                        <select aria-label={`Level of ${p.handle}`} value={d.level ?? ''} disabled={busy === p.handle} onChange={(e) => set({ level: Number(e.target.value) })} className={`${select} tabular`}>
                          {LEVELS.map((l) => (
                            <option key={l} value={l}>
                              L{l}
                            </option>
                          ))}
                        </select>
                      )}
                    </td>
                    <td className="px-3 py-1.5 text-xs text-zinc-600 dark:text-zinc-300">{signs}</td>
                    <td className="px-3 py-1.5 text-right text-xs tabular">{p.activeTokens || ''}</td>
                    <td className="px-3 py-1.5 text-right whitespace-nowrap">
                      {dirty ? (
                        <>
                          <button
                            type="button"
                            disabled={busy === p.handle}
                            onClick={() => patch(p.handle, { ...(d.level !== p.level ? { level: d.level } : {}), ...(d.role !== p.role ? { role: d.role } : {}), ...(d.team !== p.team ? { team: d.team } : {}) }, `Saved ${p.name}.`)}
                            className="rounded-md bg-accent-600 px-2 py-1 text-xs font-medium text-white hover:bg-accent-700 disabled:opacity-60"
                          >
                            Save
                          </button>
                          <button type="button" onClick={() => setDrafts(({ [p.handle]: _gone, ...rest }) => rest)} className="ml-1 px-1.5 py-1 text-xs text-zinc-500 hover:text-zinc-900 dark:hover:text-zinc-100">
                            Undo
                          </button>
                        </>
                      ) : (
                        <>
                          {p.isBot ? null : (
                            <button
                              type="button"
                              aria-expanded={passwordFor === p.handle}
                              onClick={() => {
                                setPasswordFor(passwordFor === p.handle ? null : p.handle);
                                setPasswordSet(null);
                                setMessage(null);
                              }}
                              className="rounded-md px-2 py-1 text-xs font-medium text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
                            >
                              Set password
                            </button>
                          )}
                          {self ? null : p.deactivated ? (
                            <button type="button" disabled={busy === p.handle} onClick={() => patch(p.handle, { deactivated: false }, `${p.name} can sign in again.`)} className="rounded-md px-2 py-1 text-xs font-medium text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800">
                              Reactivate
                            </button>
                          ) : (
                            <button
                              type="button"
                              disabled={busy === p.handle}
                              onClick={() => {
                                if (window.confirm(`Deactivate ${p.name}? Their sessions end and their tokens stop working at once; their past decisions stay in the record.`)) {
                                  void patch(p.handle, { deactivated: true }, `${p.name} is deactivated.`);
                                }
                              }}
                              className="rounded-md px-2 py-1 text-xs font-medium text-red-700 hover:bg-red-50 dark:text-red-300 dark:hover:bg-red-500/10"
                            >
                              Deactivate
                            </button>
                          )}
                        </>
                      )}
                    </td>
                  </tr>
                  {passwordFor === p.handle ? (
                    <tr data-password-for={p.handle}>
                      <td colSpan={7} className="px-3 pb-3">
                        <SetPasswordForm
                          person={p}
                          self={self}
                          onCancel={() => setPasswordFor(null)}
                          onDone={({ sessionsEnded, secret: once }) => {
                            setPasswordFor(null);
                            setRows((list) => list.map((r) => (r.handle === p.handle ? { ...r, hasPassword: true } : r)));
                            const ended = `${sessionsEnded} ${self ? 'other ' : ''}session${sessionsEnded === 1 ? '' : 's'} ended`;
                            setPasswordSet({ handle: p.handle, text: `New password set for ${p.name}; ${ended}.`, secret: once });
                          }}
                        />
                      </td>
                    </tr>
                  ) : passwordSet?.handle === p.handle ? (
                    <tr data-password-for={p.handle}>
                      <td colSpan={7} className="space-y-2 px-3 pb-3">
                        <div role="status" className="flex items-center justify-between gap-3 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:bg-emerald-500/10 dark:text-emerald-200">
                          {passwordSet.text}
                          {passwordSet.secret ? null : (
                            <button type="button" onClick={() => setPasswordSet(null)} className="text-xs font-medium opacity-80 hover:opacity-100">
                              Done
                            </button>
                          )}
                        </div>
                        {passwordSet.secret ? <OneTimePasswordNotice secret={passwordSet.secret} onDismiss={() => setPasswordSet(null)} /> : null}
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
        {shown.length === 0 ? <p className="p-6 text-center text-sm text-zinc-500">Nobody matches “{filter}”.</p> : null}
      </div>
    </div>
  );
}
