/**
 * What exports to ONNX and what does not, with the reason the model card and the Ship step show.
 *
 * Exports: every preprocessing step but text hashing (imputation with missing indicators, one-hot
 * with the rare-level bucket, ordinal codes, target encoding, scaling, datetime parts) and the
 * gradient boosting, random forest, extra trees, linear / logistic, MLP, naive Bayes and k-nearest
 * neighbours families, alone or in a weighted ensemble. (A kNN graph holds the training rows, as
 * model.json does, and its memory per batch grows with batch rows times training rows.)
 */
import type { FinalModelJSON } from '../../automl/model.ts';
import type { FamilyName } from '../../models/types.ts';

export const ONNX_FAMILIES: readonly FamilyName[] = ['gbdt', 'random_forest', 'extra_trees', 'linear', 'mlp', 'naive_bayes', 'knn'];

export const NOT_EXPORTED: Readonly<Record<string, string>> = {
  text:
    'a free-text column: Sieve hashes lower-cased Unicode letter/digit tokens with 32-bit FNV-1a into buckets, and no standard ONNX operator ' +
    'splits on Unicode classes or computes that hash',
};

/** Why the model cannot be exported to ONNX (every distinct reason, for an ensemble), or null when it can. */
export function onnxUnsupportedReason(model: FinalModelJSON): string | null {
  const reasons = new Set<string>();
  for (const m of model.members) {
    const family = m.model.family;
    if (!ONNX_FAMILIES.includes(family)) reasons.add(`the ${family} family has no ONNX export`);
    const p = m.model.pipeline;
    if (p.steps.some((s) => s.type === 'text_hash') || Object.values(p.inputTypes).includes('text')) reasons.add(NOT_EXPORTED.text);
  }
  return reasons.size ? [...reasons].join('; and ') : null;
}
