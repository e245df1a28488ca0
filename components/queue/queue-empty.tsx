// Empty queue states that say what to do next.
export function QueueEmpty({ mine, filtered, onClear, canReview }: { mine: boolean; filtered: boolean; onClear: () => void; canReview: boolean }) {
  let title: string;
  let body: React.ReactNode;
  if (filtered) {
    title = 'No pending change matches these filters';
    body = (
      <>
        Widen the search or{' '}
        <button type="button" onClick={onClear} className="font-medium text-accent-600 hover:underline dark:text-accent-500">
          clear the filters
        </button>
        .
      </>
    );
  } else if (mine) {
    title = 'Nothing is waiting for your review';
    body = canReview
      ? 'Changes appear here when they touch a service your team owns, or put one of its Tier-1 services in their blast radius, until you approve or reject them.'
      : 'Only seniors, directors and VPs are suggested as reviewers. Switch to “All pending” to see the whole queue.';
  } else {
    title = 'Nothing is waiting for review';
    body = (
      <>
        Pipelines submit changes with <code className="rounded bg-zinc-100 px-1 font-mono text-xs dark:bg-zinc-800">POST /api/v1/changes</code> or{' '}
        <code className="rounded bg-zinc-100 px-1 font-mono text-xs dark:bg-zinc-800">countersign submit</code>; GitHub pull requests arrive through the webhook.
      </>
    );
  }
  return (
    <div className="rounded-lg border border-dashed border-zinc-300 bg-white px-6 py-14 text-center dark:border-zinc-700 dark:bg-zinc-900">
      <p className="font-medium">{title}</p>
      <p className="mx-auto mt-1 max-w-lg text-sm text-zinc-500 dark:text-zinc-400">{body}</p>
    </div>
  );
}
