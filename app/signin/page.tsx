import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/auth/sign-in-form';
import { getCurrentSession } from '@/lib/auth/current';
import { getEnv } from '@/lib/env';
import { safeNextPath } from '@/lib/http/safe-next';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  // Only same-site paths: never redirect to another origin after sign-in.
  const target = safeNextPath(next);
  if (await getCurrentSession()) redirect(target);
  const env = getEnv();
  return (
    <div className="grid min-h-screen place-items-center bg-zinc-100 px-4 dark:bg-zinc-950">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center gap-2 text-lg font-semibold tracking-tight">
          <span aria-hidden className="grid size-7 place-items-center rounded-md bg-accent-600 text-xs font-bold text-white">
            2✓
          </span>
          Countersign
        </div>
        <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          <h1 className="mb-1 text-base font-semibold">Sign in</h1>
          <p className="mb-5 text-sm text-zinc-500 dark:text-zinc-400">Two senior engineers between AI-written changes and production.</p>
          <SignInForm next={target} />
        </div>
        {env.demo && env.demoPasswords ? (
          <p className="mt-4 text-xs leading-relaxed text-zinc-500 dark:text-zinc-400">
            Demo organisation Acme Retail: sign in as <code className="font-mono">mrossi@acme-retail.example</code> (senior, checkout),{' '}
            <code className="font-mono">asaleh@acme-retail.example</code> (director) or <code className="font-mono">admin@acme-retail.example</code> with the
            password <code className="font-mono">countersign-demo</code>. The README lists everyone.
          </p>
        ) : null}
      </div>
    </div>
  );
}
