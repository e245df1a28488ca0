// How well a score ranks incident-causing changes: ROC AUC (the chance a random incident-causing
// change outranks a random harmless one) and the share of incident-causing changes found in the top
// 20% — the slice reviewers would actually read first. Ties are counted fairly (half for AUC, pro rata
// at the cut-off), so a constant score gets exactly the chance level: 0.5 AUC and 20% recall.

export interface RankingMetrics {
  auc: number;
  /** Share of positives among the top `share` of items (recall at that budget). */
  topRecall: number;
  /** Positives expected in the top slice (fractional when ties straddle the cut-off). */
  topFound: number;
}

export interface EvalItem {
  score: number;
  baseline: number;
  /** An incident names this change as its cause. */
  label: boolean;
}

export interface EvalReport {
  n: number;
  positives: number;
  share: number;
  score: RankingMetrics;
  baseline: RankingMetrics;
  /** score.auc − baseline.auc */
  aucGain: number;
  /** score.topRecall / baseline.topRecall (Infinity when the baseline finds none). */
  topRecallRatio: number;
  beatsBaseline: boolean;
}

/** ROC AUC by the Mann–Whitney U statistic with average ranks for ties. */
export function rocAuc(scores: readonly number[], labels: readonly boolean[]): number {
  if (scores.length !== labels.length) throw new Error('scores and labels differ in length');
  const positives = labels.filter(Boolean).length;
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) throw new Error('ROC AUC needs at least one positive and one negative');
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  let rankSumPositives = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const averageRank = (i + j) / 2 + 1; // ranks are 1-based
    for (let k = i; k <= j; k++) if (labels[order[k]![1]]) rankSumPositives += averageRank;
    i = j + 1;
  }
  const u = rankSumPositives - (positives * (positives + 1)) / 2;
  return u / (positives * negatives);
}

/** Positives found in the top `share` of items by score; items tied at the cut-off count pro rata. */
export function topShareRecall(scores: readonly number[], labels: readonly boolean[], share = 0.2): { recall: number; found: number } {
  if (!(share > 0 && share <= 1)) throw new Error('share must be in (0, 1]');
  const positives = labels.filter(Boolean).length;
  if (positives === 0) throw new Error('recall needs at least one positive');
  const k = Math.max(1, Math.round(scores.length * share));
  const sorted = [...scores].sort((a, b) => b - a);
  const cut = sorted[k - 1]!;
  let above = 0;
  let tied = 0;
  let positivesAbove = 0;
  let positivesTied = 0;
  scores.forEach((s, i) => {
    if (s > cut) {
      above++;
      if (labels[i]) positivesAbove++;
    } else if (s === cut) {
      tied++;
      if (labels[i]) positivesTied++;
    }
  });
  const found = positivesAbove + (positivesTied * (k - above)) / tied;
  return { recall: found / positives, found };
}

export function rankingMetrics(scores: readonly number[], labels: readonly boolean[], share = 0.2): RankingMetrics {
  const { recall, found } = topShareRecall(scores, labels, share);
  return { auc: rocAuc(scores, labels), topRecall: recall, topFound: found };
}

export function evaluateRiskScore(items: readonly EvalItem[], share = 0.2): EvalReport {
  const labels = items.map((i) => i.label);
  const score = rankingMetrics(items.map((i) => i.score), labels, share);
  const baseline = rankingMetrics(items.map((i) => i.baseline), labels, share);
  return {
    n: items.length,
    positives: labels.filter(Boolean).length,
    share,
    score,
    baseline,
    aucGain: score.auc - baseline.auc,
    topRecallRatio: baseline.topRecall === 0 ? (score.topRecall > 0 ? Infinity : 1) : score.topRecall / baseline.topRecall,
    beatsBaseline: score.auc > baseline.auc && score.topRecall >= baseline.topRecall,
  };
}
