import { describe, expect, it } from 'vitest';
import { COLLAPSE_ABOVE_LINES, INITIAL_LINE_BUDGET, initiallyOpenFiles, type BudgetFile } from '@/components/change/diff-budget';

const file = (position: number, lines: number, over: Partial<BudgetFile> = {}): BudgetFile => ({
  position, status: 'modified', binary: false, flagged: 0, hunks: [{ lines: new Array(lines).fill(0) }], ...over,
});

describe('initiallyOpenFiles', () => {
  it('opens small files and keeps big, binary and long deleted files collapsed', () => {
    const open = initiallyOpenFiles([
      file(0, 12),
      file(1, COLLAPSE_ABOVE_LINES + 1),
      file(2, 3, { binary: true }),
      file(3, 200, { status: 'deleted' }),
      file(4, 20, { status: 'deleted' }),
    ]);
    expect([...open]).toEqual([0, 4]);
  });

  it('opens a flagged file up to twice the size, so the flagged line is seen', () => {
    expect([...initiallyOpenFiles([file(0, COLLAPSE_ABOVE_LINES + 100, { flagged: 1 })])]).toEqual([0]);
    expect([...initiallyOpenFiles([file(0, COLLAPSE_ABOVE_LINES * 2 + 1, { flagged: 1 })])]).toEqual([]);
  });

  it('stops opening files once the page-wide line budget is spent (a 3 MB diff renders its first screens only)', () => {
    const files = Array.from({ length: 200 }, (_, i) => file(i, 300));
    const open = initiallyOpenFiles(files);
    expect(open.size).toBe(Math.floor(INITIAL_LINE_BUDGET / 300));
    expect([...open]).toEqual([...Array(open.size).keys()]);
  });
});
