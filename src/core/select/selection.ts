/**
 * Turns the evidence gathered during the search into a feature set and a readable reason for every
 * dropped feature:
 * - wrapper: permutation importance of each input column on the validation folds of a GBDT probe
 *   (captures non-linear effects and interactions);
 * - filter: mutual information against a shuffled-copy baseline (marginal information), and
 *   redundancy among highly correlated numeric columns;
 * - embedded: the probe's gain importance, reported alongside.
 */
import type { MiScore, RedundantPair } from './filter.ts';
import { mean } from '../eval/stats.ts';

export interface FeatureEvidence {
  name: string;
  /** Drop in the validation score when this column is shuffled, one value per fold. */
  permutation?: number[];
  mi?: MiScore;
  gain?: number;
}

export interface DroppedFeature {
  name: string;
  reason: string;
}

export interface SelectionDecision {
  selected: string[];
  dropped: DroppedFeature[];
}

function stdError(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
  return Math.sqrt(v / xs.length);
}

/** MI clearly above what a shuffled copy shows: the column carries marginal information. */
function hasMarginalInformation(mi?: MiScore): boolean {
  return mi !== undefined && mi.mi > 3 * mi.baseline + 0.01;
}

export function decideFeatures(inputs: string[], evidence: Map<string, FeatureEvidence>, redundant: RedundantPair[]): SelectionDecision {
  const dropped: DroppedFeature[] = [];
  const droppedSet = new Set<string>();
  const importanceOf = (name: string): number => {
    const p = evidence.get(name)?.permutation;
    return p && p.length ? mean(p) : 0;
  };

  for (const name of inputs) {
    const ev = evidence.get(name);
    const perm = ev?.permutation;
    if (!perm || perm.length === 0) continue;
    const m = mean(perm);
    const se = stdError(perm);
    const nonPositive = perm.filter((v) => v <= 0).length;
    // The probe never split on the column (no gain, so shuffling it cannot change a prediction): that
    // is no evidence either way. A small probe misses columns that act only through an interaction
    // (x1·x2 has no main effect to start a split on), and dropping them would hide it from every
    // later, larger model. Kept.
    if (ev?.gain === 0 && perm.every((v) => v === 0)) continue;
    // No information: shuffling the column does not hurt the model by more than two standard errors
    // of the fold-to-fold spread (a one-sided test at about 2.5 %), and the column shows no marginal
    // information either.
    if ((m <= 0 || m < 2 * se) && !hasMarginalInformation(ev?.mi)) {
      droppedSet.add(name);
      dropped.push({
        name,
        reason:
          nonPositive === perm.length
            ? `no information: permutation importance ≤ 0 in ${nonPositive}/${perm.length} folds`
            : `no reliable information: permutation importance ${fmt(m)} ± ${fmt(se)} (≤ 0 in ${nonPositive}/${perm.length} folds)` +
              (ev?.mi ? `, mutual information ${fmt(ev.mi.mi)} vs ${fmt(ev.mi.baseline)} for a shuffled copy` : ''),
      });
    }
  }

  // Redundancy: of a highly correlated pair, keep the one the model relies on more.
  for (const pair of [...redundant].sort((p, q) => Math.abs(q.correlation) - Math.abs(p.correlation))) {
    if (droppedSet.has(pair.a) || droppedSet.has(pair.b)) continue;
    const [keep, drop] = importanceOf(pair.a) >= importanceOf(pair.b) ? [pair.a, pair.b] : [pair.b, pair.a];
    droppedSet.add(drop);
    dropped.push({
      name: drop,
      reason: `redundant: correlation ${pair.correlation.toFixed(3)} with "${keep}", which is kept`,
    });
  }

  let selected = inputs.filter((n) => !droppedSet.has(n));
  if (selected.length === 0 && inputs.length > 0) {
    // Never leave the model with nothing: keep the column the probe liked best.
    const best = [...inputs].sort((a, b) => importanceOf(b) - importanceOf(a))[0];
    selected = [best];
    const i = dropped.findIndex((d) => d.name === best);
    if (i >= 0) dropped.splice(i, 1);
  }
  return { selected, dropped };
}

function fmt(x: number): string {
  return Math.abs(x) >= 0.01 || x === 0 ? x.toFixed(3) : x.toExponential(1);
}
