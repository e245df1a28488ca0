import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="mx-auto max-w-md py-24 text-center">
      <p className="text-xs font-semibold uppercase tracking-wider text-zinc-500">404</p>
      <h1 className="mt-2 text-xl font-semibold">Nothing here</h1>
      <p className="mt-2 text-sm text-zinc-500 dark:text-zinc-400">The page or change you asked for does not exist.</p>
      <Link href="/" className="mt-6 inline-block text-sm font-medium text-accent-600 hover:underline">
        Back to the queue
      </Link>
    </div>
  );
}
