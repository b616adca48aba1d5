/**
 * How the tree learners break near-ties between candidate splits. The GBDT splitter and the
 * random-forest tree builder share the rule, so both keep the same split whatever order the
 * training rows come in.
 */

/**
 * A split replaces the best so far only when its gain is larger by this relative margin. Gains that
 * are equal in exact arithmetic (common: pure groups in the first trees of a classifier) differ
 * in their last bits depending on the order rows were summed in; without the margin, shuffling
 * the training rows would change the chosen split. With it, ties go to the first feature and bin.
 */
export const GAIN_TIE_TOLERANCE = 1e-9;

/** Whether `gain` beats `best` by more than float noise (ties keep the earlier candidate). */
export function beats(gain: number, best: number): boolean {
  return gain > best + GAIN_TIE_TOLERANCE * Math.abs(best);
}
