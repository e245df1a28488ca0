// What the queue remembers in this tab (sessionStorage): the selected row per queue URL, so j/k
// resume where they were after Back, and the order of the last queue shown, for n/p on a change page.
const SELECTED_PREFIX = 'countersign.queue.selected:';
const ORDER_KEY = 'countersign.queue.order';

function store(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage;
  } catch {
    return null;
  }
}

export function saveSelected(url: string, index: number): void {
  store()?.setItem(SELECTED_PREFIX + url, String(index));
}

export function loadSelected(url: string): number {
  const v = Number(store()?.getItem(SELECTED_PREFIX + url) ?? -1);
  return Number.isInteger(v) && v >= 0 ? v : -1;
}

export interface QueueOrder {
  /** The queue URL the ids came from (path and search). */
  url: string;
  ids: number[];
}

export function saveOrder(order: QueueOrder): void {
  store()?.setItem(ORDER_KEY, JSON.stringify(order));
}

export function loadOrder(): QueueOrder | null {
  try {
    const v = JSON.parse(store()?.getItem(ORDER_KEY) ?? 'null') as QueueOrder | null;
    return v && Array.isArray(v.ids) && typeof v.url === 'string' ? v : null;
  } catch {
    return null;
  }
}

/** The neighbour of a change in the remembered queue order, or null at either end / when unknown. */
export function neighbour(order: QueueOrder | null, id: number, step: 1 | -1): number | null {
  if (!order) return null;
  const i = order.ids.indexOf(id);
  if (i < 0) return null;
  return order.ids[i + step] ?? null;
}
