import type { Metadata } from 'next';
import { PolicyEditor } from '@/components/admin/policy-editor';
import { PolicyHistory } from '@/components/admin/policy-history';
import { getDb } from '@/db';
import { requireRole } from '@/lib/auth/current';
import { DEFAULT_POLICY, getPolicy } from '@/lib/policy';
import { describePolicy } from '@/lib/policy/describe';
import { listPolicyChanges } from '@/lib/policy/history';
import { policyVersion } from '@/lib/policy/update';

export const metadata: Metadata = { title: 'Sign-off policy' };
export const dynamic = 'force-dynamic';

export default async function PolicyPage() {
  await requireRole(['admin'], '/admin/policy');
  const db = await getDb();
  const [policy, history] = await Promise.all([getPolicy(db), listPolicyChanges(db, 10)]);
  const sections = describePolicy(policy);
  const version = policyVersion(policy);
  return (
    <div className="grid items-start gap-5 lg:grid-cols-[minmax(0,1fr)_380px]">
      <PolicyEditor initial={policy} version={version} defaults={DEFAULT_POLICY} />
      <aside className="space-y-4">
        <PolicyHistory items={history} />
        <section aria-labelledby="policy-in-words" className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
          <h2 id="policy-in-words" className="mb-2 text-sm font-semibold">
            In words
          </h2>
          <div className="space-y-3">
            {sections.map((s) => (
              <div key={s.title}>
                <h3 className="text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{s.title}</h3>
                <ul className="mt-1 list-disc space-y-1 pl-4 text-sm text-zinc-700 dark:text-zinc-300">
                  {s.rules.map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </ul>
              </div>
            ))}
          </div>
        </section>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          Defaults live in <code className="font-mono">lib/policy</code>; a saved policy is the <code className="font-mono">settings</code> row <code className="font-mono">policy</code>. The same numbers drive the approval transaction, the deploy gate and this page (
          <code className="font-mono">GET/PUT /api/v1/policy</code>).
        </p>
      </aside>
    </div>
  );
}
