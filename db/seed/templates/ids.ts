// Deterministic pull-request numbers: a repository's number grows with the day, and each
// day has its own slots, so a day's ids never depend on the days generated before or after it.
import { dayNumber, hash32, utc } from './random';

/** 2025-01-01: numbers count days from here. */
const ANCHOR_DAY = dayNumber(utc(2025, 1, 1));
/** Slots per repository per day: 0..6 for generated changes, 7 for the story changes. */
export const SLOTS_PER_DAY = 8;
export const GENERATED_SLOTS = 7;
export const STORY_SLOT = 7;

export function repoBase(repo: string): number {
  return 180 + (hash32('repo-base', repo) % 1400);
}

export function prNumber(repo: string, day: number, slot: number): number {
  return repoBase(repo) + (day - ANCHOR_DAY) * SLOTS_PER_DAY + slot;
}

export function externalId(repo: string, day: number, slot: number): string {
  return `${repo}#${prNumber(repo, day, slot)}`;
}
