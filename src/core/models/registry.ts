/**
 * Every model family Sieve can fit, by name: the one place the AutoML engine, the CLI and a loaded
 * model file look a family up.
 */
import { extraTreesFamily, randomForestFamily } from './forest/index.ts';
import { decisionTreeFamily } from './decision_tree/index.ts';
import { gbdtFamily } from './gbdt/index.ts';
import { knnFamily } from './knn/index.ts';
import { linearFamily } from './linear/index.ts';
import { mlpFamily } from './mlp/index.ts';
import { naiveBayesFamily } from './naive_bayes/index.ts';
import { FAMILY_NAMES, type FamilyName, type FamilySpec, type Task } from './types.ts';

export const FAMILIES: Record<FamilyName, FamilySpec> = {
  gbdt: gbdtFamily,
  random_forest: randomForestFamily,
  extra_trees: extraTreesFamily,
  linear: linearFamily,
  knn: knnFamily,
  naive_bayes: naiveBayesFamily,
  mlp: mlpFamily,
  decision_tree: decisionTreeFamily,
};

export function isFamilyName(name: string): name is FamilyName {
  return (FAMILY_NAMES as string[]).includes(name);
}

/** The family called `name`, or an error listing the valid names. */
export function getFamily(name: string): FamilySpec {
  if (!isFamilyName(name)) {
    throw new Error(`Unknown model family "${name}". Valid families: ${FAMILY_NAMES.join(', ')}.`);
  }
  return FAMILIES[name];
}

/** Families that can fit the task (naive Bayes is classification only). */
export function familiesForTask(task: Task): FamilySpec[] {
  return FAMILY_NAMES.map((n) => FAMILIES[n]).filter((f) => f.tasks.includes(task));
}
