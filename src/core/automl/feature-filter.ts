/**
 * The feature-selection step of the search: filter statistics computed once on (up to 20,000) search
 * rows — mutual information of each column with the target, and the redundant pairs — which, with
 * the probe trial's permutation importance and gain, decide the features of every later trial
 * (select/selection.ts holds the rule).
 */
import type { Frame } from '../data/frame.ts';
import { samplePositions } from '../eval/split.ts';
import { mutualInformationScores, redundantPairs, type FilterColumn, type MiScore, type RedundantPair } from '../select/filter.ts';
import { decideFeatures, type DroppedFeature, type FeatureEvidence } from '../select/selection.ts';
import type { TrialResult } from './types.ts';

export class FeatureFilter {
  private readonly scores: Map<string, MiScore>;
  private readonly redundant: RedundantPair[];

  constructor(
    frame: Frame,
    private readonly features: string[],
    searchRows: Int32Array,
    y: Float64Array,
    classification: boolean,
    seed: number,
  ) {
    const sample = Int32Array.from(samplePositions(searchRows.length, 20000, seed), (p) => searchRows[p]);
    const cols = filterColumns(frame, features, sample);
    this.scores = new Map(
      mutualInformationScores(
        cols,
        Float64Array.from(sample, (r) => y[r]),
        classification,
        seed,
      ).map((s) => [s.name, s]),
    );
    this.redundant = redundantPairs(cols);
  }

  /** The features to keep after the probe trial (all of them when the probe failed), and why the others go. */
  decide(probe: TrialResult): { selected: string[]; dropped: DroppedFeature[] } {
    if (probe.status !== 'ok') return { selected: this.features, dropped: [] };
    const evidence = new Map<string, FeatureEvidence>();
    for (const name of this.features) {
      evidence.set(name, { name, permutation: probe.permutation?.[name], mi: this.scores.get(name), gain: probe.gain?.[name] });
    }
    return decideFeatures(this.features, evidence, this.redundant);
  }
}

/** The filter's view of the columns: numeric values or categorical codes (NaN missing) of `rows`. */
export function filterColumns(frame: Frame, names: string[], rows: Int32Array): FilterColumn[] {
  return names.map((name) => {
    const col = frame.columns.find((c) => c.name === name)!;
    const values = new Float64Array(rows.length);
    if (col.storage === 'numeric') for (let i = 0; i < rows.length; i++) values[i] = col.values[rows[i]];
    else for (let i = 0; i < rows.length; i++) values[i] = col.codes[rows[i]] < 0 ? NaN : col.codes[rows[i]];
    return { name, values, categorical: col.storage === 'categorical' };
  });
}
