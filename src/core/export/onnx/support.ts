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

/**
 * Tree nodes above which the model is not exported: protobufjs holds about 2 KB per node while it
 * writes the graph (a 100-tree forest grown to full depth on 40,000 rows has about 900,000 nodes:
 * 2 GB, more than a page or Node's default heap can spare), and model.onnx takes about 65 bytes per
 * node against model.json's 40, so such a model would also more than double the bundle.
 */
export const MAX_ONNX_TREE_NODES = 300_000;

function treeNodes(model: FinalModelJSON): number {
  let n = 0;
  for (const m of model.members) {
    const trees = (m.model.estimator.state as { trees?: { feature?: unknown[] }[] } | null)?.trees;
    if (m.model.family === 'gbdt' || m.model.family === 'random_forest' || m.model.family === 'extra_trees')
      for (const t of trees ?? []) n += t.feature?.length ?? 0;
  }
  return n;
}

/** Why the model cannot be exported to ONNX (every distinct reason, for an ensemble), or null when it can. */
export function onnxUnsupportedReason(model: FinalModelJSON): string | null {
  const reasons = new Set<string>();
  for (const m of model.members) {
    const family = m.model.family;
    if (!ONNX_FAMILIES.includes(family)) reasons.add(`the ${family} family has no ONNX export`);
    const p = m.model.pipeline;
    if (p.steps.some((s) => s.type === 'text_hash') || Object.values(p.inputTypes).includes('text')) reasons.add(NOT_EXPORTED.text);
  }
  const nodes = treeNodes(model);
  if (nodes > MAX_ONNX_TREE_NODES) {
    reasons.add(
      `its trees have ${nodes.toLocaleString('en-US')} nodes, more than the ${MAX_ONNX_TREE_NODES.toLocaleString('en-US')} the ONNX writer takes ` +
        '(it needs about 2 KB of memory per node while writing, and the file would more than double the bundle)',
    );
  }
  return reasons.size ? [...reasons].join('; and ') : null;
}
