/**
 * The Goal form's values turned into the engine's ProjectDefinition, and checked the way the engine
 * will check them (`resolveProject`), so that a mistake shows next to the form instead of failing the run.
 */
import { clipText } from '../core/export/runtime/message-text.ts';
import { resolveProject, ProjectError } from '../core/automl/project.ts';
import type { ProjectDefinition, ResolvedProject } from '../core/automl/types.ts';
import type { Frame } from '../core/data/frame.ts';
import { checkChampion } from '../core/export/champion.ts';
import type { SieveModel } from '../core/export/runtime/model.ts';
import { defaultMetric, METRICS, metricsForTask, type MetricName } from '../core/eval/metrics.ts';
import type { Task } from '../core/models/types.ts';
import type { SearchStrategy } from '../core/search/samplers.ts';
import { errorMessage } from '../core/util/error-message.ts';
import type { LoadedDataset } from './dataset-state.svelte.ts';
import { decisionDefinition, targetClassesOf, type DecisionFormValues } from './decision-form.ts';
import { constraintDefinition, type ConstraintFormValues } from './constraint-form.ts';

export const BUDGET_DEFAULT_SECONDS = 30;
export const BUDGET_MIN_SECONDS = 5;
export const BUDGET_MAX_SECONDS = 3600;

export const TASKS: { value: Task; label: string }[] = [
  { value: 'binary', label: 'Binary classification' },
  { value: 'multiclass', label: 'Multiclass classification' },
  { value: 'regression', label: 'Regression' },
];

export const SEARCH_STRATEGIES: { value: SearchStrategy; label: string }[] = [
  { value: 'tpe', label: 'TPE — recommended' },
  { value: 'random', label: 'Random search' },
  { value: 'grid', label: 'Grid search' },
];

/** Metrics bounded to [0, 1], so a threshold outside that range can never be met. */
const UNIT_METRICS: ReadonlySet<MetricName> = new Set(['roc_auc', 'accuracy', 'balanced_accuracy', 'f1']);

/** The form's values (strings where the input is free text). */
export interface GoalValues {
  target: string;
  task: Task | '';
  metric: MetricName | '';
  threshold: string;
  budget: number;
  search: SearchStrategy;
  baseline: string;
  /** Columns the user excluded (identifiers are left to the engine, which always drops them). */
  excluded: string[];
  /** The existing process is the champion model (a loaded bundle) rather than the `baseline` column. */
  champion?: boolean;
  /** Coverage of the prediction intervals or sets (default 0.9). */
  coverage?: number;
  /** Positive class, costs or an operating target, calibration (decision-form.ts). */
  decision?: DecisionFormValues;
  /** Deployment limits and monotonic effects (constraint-form.ts). */
  constraints?: ConstraintFormValues;
}

export interface GoalCheck {
  /** Ready to run: the definition the engine will get. */
  definition: ProjectDefinition | null;
  /** What the engine resolved (features offered, columns removed and why). */
  project: ResolvedProject | null;
  /** Why it cannot run yet, in one line; null when it can. */
  problem: string | null;
  /** True when the only thing missing is a target (not an error: the first thing to choose). */
  needsTarget: boolean;
  /** The run compares with the champion model (checked against this data). */
  champion: boolean;
}

export function metricOptions(task: Task | ''): { value: MetricName; label: string; higherIsBetter: boolean }[] {
  if (!task) return [];
  return metricsForTask(task).map((m) => ({ value: m, label: METRICS[m].label, higherIsBetter: METRICS[m].greaterIsBetter }));
}

/** The metric to keep when the task changes: the current one if it fits the task, else the task's default. */
export function metricForTask(task: Task, current: MetricName | ''): MetricName {
  return current && metricsForTask(task).includes(current) ? current : defaultMetric(task);
}

/**
 * `champion`: the model of the bundle chosen as the existing process (when `values.champion`); it must
 * predict this target for this task and classes from columns this data has.
 */
export function checkGoal(frame: Frame, values: GoalValues, champion: SieveModel | null = null): GoalCheck {
  const fail = (problem: string, needsTarget = false): GoalCheck => ({ definition: null, project: null, problem, needsTarget, champion: false });
  if (!values.target) return fail('Choose the column to predict.', true);
  if (!values.task) return fail('Choose the task.');
  if (!values.metric) return fail('Choose the metric.');
  const budget = values.budget;
  if (!Number.isFinite(budget) || budget < BUDGET_MIN_SECONDS || budget > BUDGET_MAX_SECONDS) {
    return fail(`The time budget must be between ${BUDGET_MIN_SECONDS} and ${BUDGET_MAX_SECONDS} seconds.`);
  }
  let successThreshold: number | undefined;
  const text = values.threshold.trim();
  if (text !== '') {
    successThreshold = Number(text);
    if (!Number.isFinite(successThreshold)) return fail(`The success threshold must be a number (e.g. 0.85), not “${clipText(text)}”.`);
    if (UNIT_METRICS.has(values.metric) && (successThreshold < 0 || successThreshold > 1)) {
      return fail(`${METRICS[values.metric].label} lies between 0 and 1, so a success threshold of ${clipText(text)} can never be met.`);
    }
  }
  const decision = decisionDefinition(
    values.decision,
    values.task === 'binary',
    values.task === 'multiclass' ? targetClassesOf(frame, values.target).classes.length : 0,
  );
  if (decision.problem) return fail(decision.problem);
  const limits = constraintDefinition(values.constraints, values.target);
  if (limits.problem) return fail(limits.problem);
  const definition: ProjectDefinition = {
    ...decision.fields,
    ...(limits.constraints ? { constraints: limits.constraints } : {}),
    target: values.target,
    task: values.task,
    metric: values.metric,
    budgetSeconds: budget,
    search: values.search,
    exclude: values.excluded.filter((name) => name !== values.target && name !== values.baseline),
    ...(values.baseline && !values.champion ? { baselineColumn: values.baseline } : {}),
    ...(successThreshold !== undefined ? { successThreshold } : {}),
    ...(values.coverage !== undefined ? { coverage: values.coverage } : {}),
  };
  let project: ResolvedProject;
  try {
    project = resolveProject(frame, definition).project;
  } catch (err) {
    if (err instanceof ProjectError || err instanceof Error) return fail(sentence(err.message));
    return fail(String(err));
  }
  if (values.champion) {
    if (!champion) return fail('The champion model is no longer loaded: load its bundle again, or choose another existing process.');
    try {
      checkChampion(champion, project, frame);
    } catch (err) {
      return fail(`${sentence(errorMessage(err))} Choose another existing process, or load the data the champion was trained on.`);
    }
  }
  return { definition, project, problem: null, needsTarget: false, champion: values.champion === true };
}

/**
 * Columns the engine leaves out whatever the form says (identifiers, constant columns), with the
 * engine's reason: the resolved project's `removed`, less what the user excluded or chose as the
 * existing process.
 */
export function engineRemovedColumns(project: ResolvedProject, values: Pick<GoalValues, 'excluded' | 'baseline'>): Map<string, string> {
  const chosen = new Set([...values.excluded, values.baseline]);
  return new Map(project.removed.filter((r) => !chosen.has(r.name)).map((r) => [r.name, r.reason]));
}

/** Numeric inputs that could have a monotonic effect: not the target, the existing process, excluded or left out by the engine. */
export function monotonicCandidates(
  columns: readonly { name: string; type: string }[],
  values: Pick<GoalValues, 'target' | 'excluded' | 'baseline'>,
  engineRemoved: ReadonlyMap<string, string>,
): string[] {
  const left = new Set([values.target, values.baseline, ...values.excluded, ...engineRemoved.keys()]);
  return columns.filter((c) => c.type === 'numeric' && !left.has(c.name)).map((c) => c.name);
}

/** Columns the profile flags as ID-like but typed otherwise (the engine drops true identifiers itself): a new goal excludes them. */
export function idLikeColumns(dataset: Pick<LoadedDataset, 'profile'>): string[] {
  const identifiers = new Set(dataset.profile.columns.filter((c) => c.type === 'identifier').map((c) => c.name));
  const flagged = dataset.profile.warnings.filter((w) => w.kind === 'id-like' && w.column !== undefined && !identifiers.has(w.column));
  return [...new Set(flagged.map((w) => w.column!))];
}

/** The engine's one-line messages start lower-case (CLI style); the page shows them as sentences. */
function sentence(message: string): string {
  const trimmed = message.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
