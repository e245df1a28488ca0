// `countersign risk eval` on the seeded history: the replay re-scores every shipped change as it was
// scored when it arrived (same weights, same context of its day), and the score beats the "lines
// changed" baseline on both ROC AUC and the top-20% recall.
import { expect, it } from 'vitest';
import { evaluateRiskScore } from '@/lib/risk/eval';
import { formatReport, replayHistory } from '@/scripts/cli/commands/risk';
import { describeEachDb } from '../support/db';

describeEachDb('risk eval (history replay)', ({ handle }) => {
  it('replays the history to the stored scores and beats lines changed', async () => {
    const db = handle().db;
    const [replayed, stored] = await Promise.all([replayHistory(db), replayHistory(db, { stored: true })]);
    expect(replayed.length).toBeGreaterThan(2000);
    // The replay follows the live path (lib/changes/context.ts), which counts an author's deployed
    // changes as experience; the seed also counted rolled-back ones. That is the only difference: a
    // few authors' "few earlier changes" points (4, at most 8), nothing else.
    const differing = replayed.filter((r, i) => r.score !== stored[i]!.score);
    expect(differing.length).toBeLessThan(replayed.length * 0.02);
    replayed.forEach((r, i) => expect(Math.abs(r.score - stored[i]!.score)).toBeLessThanOrEqual(8));
    expect(replayed.map((i) => i.label)).toEqual(stored.map((i) => i.label));
    expect(replayed.filter((i) => i.label).length).toBeGreaterThanOrEqual(20);

    const report = evaluateRiskScore(replayed);
    expect(report.beatsBaseline).toBe(true);
    expect(report.score.auc).toBeGreaterThan(report.baseline.auc + 0.1);
    expect(report.score.topRecall).toBeGreaterThan(report.baseline.topRecall);
    const text = formatReport(report, 'replayed');
    expect(text).toMatch(/Risk score\s+0\.\d{3}/);
    expect(text).toMatch(/Baseline: lines changed\s+0\.\d{3}/);
    expect(text).toMatch(/beats "lines changed" by \+0\.\d{3} ROC AUC and finds [\d.]+× as many incident-causing changes in its top 20%/);
  });
});
