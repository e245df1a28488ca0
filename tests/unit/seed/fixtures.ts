// One generated history shared by the seed tests: generating it takes a few hundred milliseconds.
import { generateHistory, type History } from '@/db/seed/history';
import { pendingChanges } from '@/db/seed/data/pending';
import type { SeedChange } from '@/db/seed/types';

export const FROM = new Date('2025-09-29T00:00:00Z');
export const TO = new Date('2026-11-28T00:00:00Z');
export const NOW = new Date('2026-11-28T10:30:00Z');
export const SEED = 20251014;

let cached: History | null = null;
export function history(): History {
  cached ??= generateHistory({ from: FROM, to: TO, seed: SEED });
  return cached;
}

let cachedPending: SeedChange[] | null = null;
export function pending(): SeedChange[] {
  cachedPending ??= pendingChanges(NOW);
  return cachedPending;
}

export const allChanges = (): SeedChange[] => [...history().changes, ...pending()];
