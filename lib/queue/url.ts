// The queue's URL vocabulary, safe to import in the browser (no database code).
export const QUEUE_PARAM_NAMES = ['status', 'tier', 'service', 'team', 'ai', 'risk', 'q', 'reviewer', 'limit', 'cursor'] as const;
export type QueueParamName = (typeof QUEUE_PARAM_NAMES)[number];
export type QueueUrlState = Partial<Record<QueueParamName, string | number | undefined>>;

/** The URL search string for a set of filters; defaults are left out so links stay short. */
export function queueSearchString(f: QueueUrlState): string {
  const sp = new URLSearchParams();
  for (const name of QUEUE_PARAM_NAMES) {
    const v = f[name];
    if (v === undefined || v === '' || (name === 'status' && v === 'pending') || (name === 'limit' && Number(v) === 50)) continue;
    sp.set(name, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}
