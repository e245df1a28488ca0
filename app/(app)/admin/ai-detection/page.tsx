import { eq } from 'drizzle-orm';
import type { Metadata } from 'next';
import Link from 'next/link';
import { AiDetectionEditor } from '@/components/admin/ai-detection-editor';
import { getDb } from '@/db';
import { people, settings } from '@/db/schema';
import { requireRole } from '@/lib/auth/current';
import { formatDateTime } from '@/lib/format';
import { DEFAULT_AI_DETECTION } from '@/lib/github/ai-detect';
import { AI_DETECTION_SETTING_KEY, aiDetectionVersion, mergeAiDetection } from '@/lib/github/settings';

export const metadata: Metadata = { title: 'AI detection' };
export const dynamic = 'force-dynamic';

export default async function AiDetectionPage() {
  await requireRole(['admin'], '/admin/ai-detection');
  const db = await getDb();
  const [row] = await db
    .select({ value: settings.value, updatedAt: settings.updatedAt, by: people.handle })
    .from(settings)
    .leftJoin(people, eq(people.id, settings.updatedById))
    .where(eq(settings.key, AI_DETECTION_SETTING_KEY))
    .limit(1);
  const current = mergeAiDetection(row?.value);
  return (
    <div className="grid items-start gap-5 lg:grid-cols-[minmax(0,1fr)_320px]">
      <AiDetectionEditor initial={current} version={aiDetectionVersion(current)} defaults={DEFAULT_AI_DETECTION} />
      <aside className="space-y-4">
        <section aria-labelledby="ai-detection-how" className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
          <h2 id="ai-detection-how" className="mb-2 text-sm font-semibold">
            How AI involvement is detected
          </h2>
          <ul className="list-disc space-y-1 pl-4 text-sm text-zinc-700 dark:text-zinc-300">
            <li>The labels and agent accounts set here.</li>
            <li>Commit trailers: <code className="font-mono text-xs">Co-authored-by:</code> an AI assistant, <code className="font-mono text-xs">Assisted-by:</code>, <code className="font-mono text-xs">Generated-by:</code>.</li>
            <li>A ticked AI checkbox in the pull-request template.</li>
            <li>What a pipeline declares when it submits a change.</li>
          </ul>
          <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">
            The strongest finding sets the change’s AI level; every finding is kept as evidence on the change page. A saved change applies from the next pull-request delivery; changes already recorded keep their level until their pull request is next updated.
          </p>
        </section>
        <section aria-labelledby="ai-detection-last" className="rounded-lg border border-zinc-200 bg-white p-4 text-sm dark:border-zinc-800 dark:bg-zinc-900" data-testid="ai-detection-last">
          <div className="mb-1 flex items-baseline justify-between gap-2">
            <h2 id="ai-detection-last" className="text-sm font-semibold">
              Last change
            </h2>
            <Link href="/audit?kind=settings" className="text-xs font-medium text-accent-600 hover:underline dark:text-accent-500">
              In the audit trail
            </Link>
          </div>
          {row ? (
            <p className="text-zinc-700 dark:text-zinc-300">
              {row.by ? <span className="font-medium">{row.by}</span> : 'Someone'}, <time dateTime={row.updatedAt.toISOString()}>{formatDateTime(row.updatedAt)}</time>
            </p>
          ) : (
            <p className="text-zinc-500 dark:text-zinc-400">Never changed: the built-in defaults are in force.</p>
          )}
        </section>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          Saved as the <code className="font-mono">settings</code> row <code className="font-mono">ai_detection</code>; also <code className="font-mono">GET/PUT /api/v1/settings/ai-detection</code> with an admin token.
        </p>
      </aside>
    </div>
  );
}
