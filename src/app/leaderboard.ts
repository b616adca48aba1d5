/**
 * Leaderboard rows as the page shows them: best first, with the parameters worth a glance, and the
 * best score over time for the chart. Pure functions of the engine's entries.
 */
import type { LeaderboardEntry } from '../core/automl/types.ts';
import { compareEntries, metricSign } from '../core/automl/ranking.ts';
import type { MetricName } from '../core/eval/metrics.ts';
import type { FamilyName, ParamValue } from '../core/models/types.ts';

/**
 * The parameters that matter most per family, in the order shown. Listed here rather than read from
 * the registry so the page does not load every model family (and tfjs) just to label a table.
 */
const KEY_PARAMS: Record<FamilyName, string[]> = {
  gbdt: ['learning_rate', 'max_leaf_nodes', 'max_iter', 'min_samples_leaf', 'l2_regularization', 'subsample', 'colsample'],
  random_forest: ['n_estimators', 'max_features', 'min_samples_leaf', 'max_depth', 'max_samples'],
  extra_trees: ['n_estimators', 'max_features', 'min_samples_leaf', 'max_depth'],
  linear: ['alpha', 'l1_ratio', 'class_weight'],
  knn: ['n_neighbors', 'weights'],
  naive_bayes: ['var_smoothing', 'alpha'],
  decision_tree: ['max_depth', 'min_samples_leaf'],
  mlp: ['hidden_layers', 'hidden_units', 'learning_rate', 'dropout', 'activation', 'alpha', 'batch_size'],
};

export interface BoardRow {
  key: string;
  entry: LeaderboardEntry;
  /** Finished by an earlier, interrupted run of the experiment. */
  earlier: boolean;
  rank: number;
}

/** The engine's order (core/automl/ranking.ts), earlier runs' entries among this run's; ranks from 1. */
export function sortedBoard(entries: readonly LeaderboardEntry[], earlier: readonly LeaderboardEntry[], metric: MetricName): BoardRow[] {
  const sign = metricSign(metric);
  const rows = [
    ...earlier.map((entry, i) => ({ key: `e${i}-${entry.id}`, entry, earlier: true, rank: 0 })),
    ...entries.map((entry) => ({ key: `r${entry.id}`, entry, earlier: false, rank: 0 })),
  ];
  rows.sort((a, b) => compareEntries(a.entry, b.entry, sign));
  rows.forEach((row, i) => (row.rank = i + 1));
  return rows;
}

/** The family's search-space parameters that the trial set, first `max`, as "name value" strings. */
export function keyParams(entry: LeaderboardEntry, max = 3): string[] {
  if (entry.family === 'ensemble') {
    return (entry.members ?? []).slice(0, max).map((m) => `#${m.id} × ${formatWeight(m.weight)}`);
  }
  const order = KEY_PARAMS[entry.family as FamilyName] ?? [];
  const present = order.filter((name) => entry.params[name] !== undefined);
  const rest = Object.keys(entry.params).filter((name) => !present.includes(name));
  return [...present, ...rest].slice(0, max).map((name) => `${name} ${formatParam(entry.params[name])}`);
}

/** Every parameter, for a tooltip. */
export function allParams(entry: LeaderboardEntry): string {
  if (entry.family === 'ensemble') return (entry.members ?? []).map((m) => `trial #${m.id} weight ${formatWeight(m.weight)}`).join(', ');
  return Object.entries(entry.params)
    .map(([k, v]) => `${k} = ${formatParam(v)}`)
    .join(', ');
}

export function formatParam(v: ParamValue): string {
  if (v === null) return 'none';
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(1) : String(Number(v.toPrecision(3)));
  }
  return String(v);
}

function formatWeight(w: number): string {
  return String(Number(w.toFixed(2)));
}

export interface ScorePoint {
  /** Seconds since the run started. */
  t: number;
  score: number;
}

/**
 * Each full-fidelity trial's score at the time it finished, and the best-so-far step line through them.
 * Only the current run counts (an earlier run's clock is not this one's).
 */
export function scoreTimeline(entries: readonly LeaderboardEntry[], runStartedAt: number, metric: MetricName): { trials: ScorePoint[]; best: ScorePoint[] } {
  const sign = metricSign(metric);
  const done = entries
    .filter((e) => e.status === 'ok' && e.fidelity >= 1 && Number.isFinite(e.cvScore))
    .map((e) => ({ t: Math.max(0, (e.finishedAt - runStartedAt) / 1000), score: e.cvScore }))
    .sort((a, b) => a.t - b.t);
  const best: ScorePoint[] = [];
  for (const p of done) {
    const last = best[best.length - 1];
    if (!last || sign * (p.score - last.score) > 0) best.push(p);
  }
  return { trials: done, best };
}
