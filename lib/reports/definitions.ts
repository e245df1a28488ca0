// The few thresholds the leadership views use that are not sign-off policy: how long a
// break-glass follow-up may wait, how approval latency is bucketed, and what counts as a
// pair of people who approve only each other. Documented in docs/leadership.md.

/** A break-glass override's follow-up review is overdue this long after the override ended. */
export const BREAK_GLASS_FOLLOW_UP_HOURS = 72;

export const LATENCY_BUCKETS: { label: string; fromMinutes: number; toMinutes: number | null }[] = [
  { label: '< 15 min', fromMinutes: 0, toMinutes: 15 },
  { label: '15–60 min', fromMinutes: 15, toMinutes: 60 },
  { label: '1–4 h', fromMinutes: 60, toMinutes: 240 },
  { label: '4–24 h', fromMinutes: 240, toMinutes: 1440 },
  { label: '1–3 days', fromMinutes: 1440, toMinutes: 4320 },
  { label: '> 3 days', fromMinutes: 4320, toMinutes: null },
];

/**
 * Reciprocal approval: two people whose approvals of others' changes go (almost) only to
 * each other. Both need at least `minApprovals` approvals in the period and at least
 * `share` of them on the other's changes.
 */
export const RECIPROCAL_PAIR = { minApprovals: 3, share: 0.8 };

/** How many signals of each kind the compliance page lists before "and N more". */
export const SIGNAL_LIST_LIMIT = 25;
