// The queue's URL vocabulary, safe to import in the browser (no database code).
export const QUEUE_PARAM_NAMES = ['status', 'tier', 'service', 'team', 'ai', 'risk', 'q', 'reviewer', 'limit', 'cursor'] as const;
export type QueueParamName = (typeof QUEUE_PARAM_NAMES)[number];
/** Changes per page of the queue (the page and its client island agree on it). */
export const QUEUE_PAGE_SIZE = 50;

export type QueueUrlState = Partial<Record<QueueParamName, string | number | undefined>>;

/** The URL search string for a set of filters; defaults are left out so links stay short. */
export function queueSearchString(f: QueueUrlState): string {
  const sp = new URLSearchParams();
  for (const name of QUEUE_PARAM_NAMES) {
    const v = f[name];
    if (v === undefined || v === '' || (name === 'status' && v === 'pending') || (name === 'limit' && Number(v) === QUEUE_PAGE_SIZE)) continue;
    sp.set(name, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

/** The filters that define a queue view (not the page position), as strings: the React Query key. */
export const QUEUE_FILTER_NAMES = ['status', 'tier', 'service', 'team', 'ai', 'risk', 'q', 'reviewer'] as const;
export type QueueFilterName = (typeof QUEUE_FILTER_NAMES)[number];
export type QueueFilterState = Partial<Record<QueueFilterName, string>>;

export function normalizeFilters(f: QueueUrlState): QueueFilterState {
  const out: QueueFilterState = {};
  for (const name of QUEUE_FILTER_NAMES) {
    const v = f[name];
    if (v === undefined || v === '' || (name === 'status' && v === 'pending')) continue;
    out[name] = String(v).trim();
    if (!out[name]) delete out[name];
  }
  return out;
}
