/**
 * Plain-words descriptions of a fitted model for the model card, read from its JSON alone: family
 * names, what each preprocessing step does to which columns, and split-gain importance of the tree
 * families (FinalModel.importance's arithmetic, from the serialised state).
 */
import type { FinalModelJSON } from '../automl/model.ts';
import type { FittedModelJSON } from '../models/fitted-model.ts';
import type { Task } from '../models/types.ts';
import type { StepJSON } from '../prep/step.ts';

const FAMILY: Record<string, string> = {
  gbdt: 'Gradient-boosted decision trees (histogram-based, LightGBM-style)',
  random_forest: 'Random forest (bootstrapped, averaged decision trees)',
  extra_trees: 'Extra trees (extremely randomised, averaged decision trees)',
  knn: 'k-nearest neighbours (Euclidean distance on standardised features)',
  naive_bayes: 'Naive Bayes (Gaussian for numbers, frequencies for categories)',
  mlp: 'Neural network (multi-layer perceptron)',
};

export function familyDescription(family: string, task: Task): string {
  if (family === 'linear') return task === 'regression' ? 'Linear regression (elastic-net penalty)' : 'Logistic regression (elastic-net penalty)';
  return FAMILY[family] ?? family;
}

const list = (names: readonly string[], max = 12): string =>
  names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;

/** One sentence per preprocessing step, in order. */
export function describeSteps(steps: readonly StepJSON[]): string[] {
  return steps.map((s) => {
    const cols = (s.columns as string[] | undefined) ?? [];
    switch (s.type) {
      case 'datetime':
        return `Dates expanded into numeric parts (year, month, day of week, hour, epoch seconds where they vary): ${list(cols)}.`;
      case 'text_hash':
        return `Free text split into words and hashed into ${String(s.buckets)} word-count columns: ${list(cols)}.`;
      case 'impute': {
        const numeric = (s.numeric as { column: string; indicator: boolean }[]) ?? [];
        const categorical = (s.categorical as { column: string; indicator: boolean }[]) ?? [];
        const flagged = [...numeric, ...categorical].filter((f) => f.indicator).map((f) => f.column);
        const parts: string[] = [];
        if (numeric.length) parts.push(`numbers with the training median (${list(numeric.map((f) => f.column))})`);
        if (categorical.length) parts.push(`categories with the most frequent training level (${list(categorical.map((f) => f.column))})`);
        return `Missing values filled: ${parts.join('; ')}${flagged.length ? `; a 0/1 "was missing" column added for ${list(flagged)}` : ''}.`;
      }
      case 'onehot': {
        const enc = (s.encodings as { column: string; levels: string[]; other: boolean }[]) ?? [];
        return `One-hot encoded (one 0/1 column per level; rare and unseen levels share an "other" column): ${list(enc.map((e) => `${e.column} (${e.levels.length}${e.other ? ' + other' : ''})`))}.`;
      }
      case 'target_encode':
        return `Replaced by the smoothed mean of the target per level (learned out-of-fold, so no row sees its own target): ${list(cols)}.`;
      case 'ordinal': {
        const enc = (s.encodings as { column: string; levels: string[] }[]) ?? [];
        return `Categories kept as category codes for the trees to split on (unseen levels go to "other" or count as missing): ${list(enc.map((e) => `${e.column} (${e.levels.length} levels)`))}.`;
      }
      case 'scale':
        return `Standardised to mean 0 and standard deviation 1 (training statistics): ${cols.length} column${cols.length === 1 ? '' : 's'}.`;
      default:
        return `Step "${s.type}": ${list(cols)}.`;
    }
  });
}

/** Hyperparameters worth showing, as [name, value] pairs. */
export function paramRows(model: FittedModelJSON): [string, string][] {
  return Object.entries(model.estimator.params ?? model.params ?? {}).map(([k, v]) => [k, v === null ? 'none' : String(v)]);
}

/**
 * Split-gain importance by input column for the tree members (normalised per member, weighted by the
 * member's weight), as FinalModel.importance computes it; [] when no member is a tree model.
 */
export function gainImportance(model: FinalModelJSON): { feature: string; value: number }[] {
  const total = new Map<string, number>();
  let any = false;
  for (const m of model.members) {
    const state = m.model.estimator.state as { featureNames?: string[]; importanceGain?: number[] } | null;
    if (!state?.importanceGain || !state.featureNames) continue;
    any = true;
    const gains = state.importanceGain.map((g) => Math.max(0, g));
    const sum = gains.reduce((a, b) => a + b, 0) || 1;
    state.featureNames.forEach((name, j) => {
      const source = m.model.pipeline.features.find((f) => f.name === name)?.source ?? name;
      total.set(source, (total.get(source) ?? 0) + (m.weight * gains[j]) / sum);
    });
  }
  if (!any) return [];
  return [...total].map(([feature, value]) => ({ feature, value })).sort((a, b) => b.value - a.value);
}
