import { describe, expect, it } from 'vitest';
import { evaluateRiskScore, rocAuc, topShareRecall } from '@/lib/risk/eval';

describe('rocAuc', () => {
  it('is 1 for a perfect ranking, 0 for a reversed one and 0.5 for a constant score', () => {
    const labels = [false, false, true, true];
    expect(rocAuc([1, 2, 3, 4], labels)).toBe(1);
    expect(rocAuc([4, 3, 2, 1], labels)).toBe(0);
    expect(rocAuc([7, 7, 7, 7], labels)).toBe(0.5);
  });

  it('counts ties between a positive and a negative as half', () => {
    // Pairs (pos, neg): (3 vs 1) win, (3 vs 3) tie, (5 vs 1) win, (5 vs 3) win → 3.5 / 4.
    expect(rocAuc([1, 3, 3, 5], [false, false, true, true])).toBeCloseTo(0.875, 10);
  });

  it('matches a brute-force pair count on random data', () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const scores = Array.from({ length: 300 }, () => Math.floor(rand() * 20));
    const labels = scores.map((s) => rand() < 0.1 + s / 40);
    let wins = 0;
    let pairs = 0;
    scores.forEach((a, i) => scores.forEach((b, j) => {
      if (labels[i] && !labels[j]) {
        pairs++;
        wins += a > b ? 1 : a === b ? 0.5 : 0;
      }
    }));
    expect(rocAuc(scores, labels)).toBeCloseTo(wins / pairs, 12);
  });

  it('refuses data without both classes', () => {
    expect(() => rocAuc([1, 2], [true, true])).toThrow(/positive and one negative/);
  });
});

describe('topShareRecall', () => {
  it('finds the positives in the top 20% of items', () => {
    const scores = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    const labels = [true, false, false, true, false, false, false, false, false, true];
    // Top 20% = the two highest: one of three positives.
    expect(topShareRecall(scores, labels)).toEqual({ recall: 1 / 3, found: 1 });
  });

  it('splits ties at the cut-off pro rata, so a constant score finds exactly 20%', () => {
    const labels = Array.from({ length: 50 }, (_, i) => i % 5 === 0);
    expect(topShareRecall(new Array(50).fill(3), labels).recall).toBeCloseTo(0.2, 12);
    // One clear winner, then 3 tied for the last slot of 2, one of them positive: 1 + 1/3 found.
    expect(topShareRecall([9, 5, 5, 5, 1, 1, 1, 1, 1, 1], [true, true, false, false, false, false, false, false, false, true]).found).toBeCloseTo(4 / 3, 12);
  });
});

describe('evaluateRiskScore', () => {
  it('reports both rankings and by how much the score beats the baseline', () => {
    const items = [
      { score: 90, baseline: 5, label: true },
      { score: 80, baseline: 500, label: false },
      { score: 70, baseline: 3, label: true },
      { score: 20, baseline: 400, label: false },
      { score: 10, baseline: 300, label: false },
    ];
    const r = evaluateRiskScore(items, 0.4);
    expect(r).toMatchObject({ n: 5, positives: 2, share: 0.4, beatsBaseline: true });
    expect(r.score.auc).toBeCloseTo(5 / 6, 12);
    expect(r.baseline.auc).toBe(0);
    expect(r.aucGain).toBeCloseTo(5 / 6, 12);
    expect(r.score.topRecall).toBe(0.5);
    expect(r.baseline.topRecall).toBe(0);
    expect(r.topRecallRatio).toBe(Infinity);
  });

  it('does not claim a win when the score ranks worse', () => {
    const items = [
      { score: 1, baseline: 10, label: true },
      { score: 2, baseline: 1, label: false },
      { score: 3, baseline: 2, label: false },
    ];
    expect(evaluateRiskScore(items, 0.34).beatsBaseline).toBe(false);
  });
});
