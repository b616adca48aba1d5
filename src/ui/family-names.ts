/** How model families are named in the page. */
import type { Task } from '../core/models/types.ts';

const NAMES: Record<string, string> = {
  gbdt: 'Gradient boosting',
  random_forest: 'Random forest',
  extra_trees: 'Extra trees',
  linear: 'Linear',
  knn: 'k-nearest neighbours',
  naive_bayes: 'Naive Bayes',
  mlp: 'Neural network (MLP)',
  decision_tree: 'Decision tree',
  ensemble: 'Ensemble',
};

export function familyName(family: string, task?: Task): string {
  if (family === 'linear') return task === 'regression' ? 'Linear regression' : 'Logistic regression';
  return NAMES[family] ?? family;
}
