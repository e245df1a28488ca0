// A watch-out path pattern or a path mapping written to hurt (`a*a*a*…b`) must not stall the change
// page or the ingest of a pull request: matching is linear, measured against a benign pattern.
import { describe, expect, it } from 'vitest';
import { mapPaths } from '@/lib/github/mapping';
import { parseUnifiedDiff } from '@/lib/risk';
import { matchWatchouts, type WatchoutRecord } from '@/lib/watchouts/match';

const EVIL = 'a*a*a*a*a*a*a*a*a*a*a*a*b';
const BENIGN = 'services/**/main.ts';

function ms(fn: () => void): number {
  const s = performance.now();
  fn();
  return performance.now() - s;
}

const watchout = (pattern: string, id: number): WatchoutRecord => ({
  id, scope: 'path', service: null, pattern, text: 'Something to watch out for.',
  author: { handle: 'dkowalski', name: 'Dana Kowalski' }, createdAt: new Date('2026-03-06T08:30:00Z'),
});

describe('hostile path patterns', () => {
  const path = 'a'.repeat(40);
  const files = parseUnifiedDiff(`diff --git a/${path} b/${path}\n--- a/${path}\n+++ b/${path}\n@@ -1 +1 @@\n-x\n+y\n`);
  const ctx = { touched: [], neighbours: [], files };

  it('matches a watch-out pattern with many stars against a 40-character path as fast as a benign one', () => {
    matchWatchouts([watchout(BENIGN, 1)], ctx); // warm-up
    const benign = Math.max(ms(() => matchWatchouts([watchout(BENIGN, 1)], ctx)), 0.5);
    const evil = ms(() => expect(matchWatchouts([watchout(EVIL, 2)], ctx)).toEqual([]));
    expect(evil / benign).toBeLessThan(50);
  });

  it('maps paths through such a path mapping as fast as through a benign one', () => {
    mapPaths([path], [{ pathGlob: BENIGN, serviceSlug: 'x' }], []);
    const benign = Math.max(ms(() => mapPaths([path], [{ pathGlob: BENIGN, serviceSlug: 'x' }], [])), 0.5);
    const evil = ms(() => expect(mapPaths([path], [{ pathGlob: EVIL, serviceSlug: 'x' }], []).services).toEqual([]));
    expect(evil / benign).toBeLessThan(50);
  });
});
