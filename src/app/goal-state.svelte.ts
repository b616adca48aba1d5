/**
 * The Goal form's state. Choosing the target is the only required choice: the task is inferred from
 * it, the metric follows the task, and the rest starts at defaults that give a good first run
 * (30 s, TPE, no existing process, identifiers left out by the engine).
 */
import type { ProjectDefinition, ResolvedProject } from '../core/automl/types.ts';
import type { Frame } from '../core/data/frame.ts';
import { defaultMetric, isMetricName, type MetricName } from '../core/eval/metrics.ts';
import type { Task } from '../core/models/types.ts';
import { inferTask } from '../core/prep/target.ts';
import type { SearchStrategy } from '../core/search/samplers.ts';
import { errorMessage } from '../core/util/error-message.ts';
import { BUDGET_DEFAULT_SECONDS, metricForTask, type GoalValues } from './goal-check.ts';
import type { GoalDraft } from './store.ts';
import { emptyDecisionForm, type DecisionFormValues } from './decision-form.ts';
import { emptyConstraintForm, type ConstraintFormValues } from './constraint-form.ts';

const TASK_VALUES: Task[] = ['binary', 'multiclass', 'regression'];
const SEARCH_VALUES: SearchStrategy[] = ['tpe', 'random', 'grid'];

class GoalState {
  target = $state('');
  task = $state<Task | ''>('');
  metric = $state<MetricName | ''>('');
  threshold = $state('');
  budget = $state(BUDGET_DEFAULT_SECONDS);
  search = $state<SearchStrategy>('tpe');
  baseline = $state('');
  /** The existing process is the stored champion model (workspace.champion), not a column. */
  champion = $state(false);
  excluded = $state<string[]>([]);
  /** Coverage of the conformal prediction intervals or sets. */
  coverage = $state(0.9);
  /** Positive class, costs or an operating target, calibration. */
  decision = $state<DecisionFormValues>(emptyDecisionForm());
  /** Deployment limits and monotonic effects. */
  constraints = $state<ConstraintFormValues>(emptyConstraintForm());
  /** Why the task could not be inferred from the chosen target (a constant or empty column). */
  inferenceProblem = $state<string | null>(null);

  get values(): GoalValues {
    return {
      target: this.target,
      task: this.task,
      metric: this.metric,
      threshold: this.threshold,
      budget: this.budget,
      search: this.search,
      baseline: this.baseline,
      excluded: this.excluded,
      champion: this.champion,
      coverage: this.coverage,
      decision: { ...this.decision, matrix: this.decision.matrix.map((row) => [...row]) },
      constraints: { ...this.constraints, monotonic: { ...this.constraints.monotonic } },
    };
  }

  /** Defaults for a new dataset; `excluded` pre-checks columns that look like IDs (the user may keep them). */
  reset(excluded: string[] = []): void {
    this.target = '';
    this.task = '';
    this.metric = '';
    this.threshold = '';
    this.budget = BUDGET_DEFAULT_SECONDS;
    this.search = 'tpe';
    this.baseline = '';
    this.champion = false;
    this.excluded = [...excluded];
    this.coverage = 0.9;
    this.decision = emptyDecisionForm();
    this.constraints = emptyConstraintForm();
    this.inferenceProblem = null;
  }

  chooseTarget(frame: Frame, name: string): void {
    this.target = name;
    this.inferenceProblem = null;
    // The positive class names a value of the old target.
    this.decision.positive = '';
    if (this.baseline === name) this.baseline = '';
    if (this.excluded.includes(name)) this.excluded = this.excluded.filter((n) => n !== name);
    if (!name) {
      this.task = '';
      this.metric = '';
      return;
    }
    try {
      const task = inferTask(frame, name);
      this.task = task;
      this.metric = defaultMetric(task);
    } catch (err) {
      this.task = '';
      this.metric = '';
      this.inferenceProblem = errorMessage(err);
    }
  }

  chooseTask(task: Task): void {
    this.task = task;
    this.metric = metricForTask(task, this.metric);
  }

  chooseBaseline(name: string): void {
    this.baseline = name;
    this.champion = false;
    if (name && this.excluded.includes(name)) this.excluded = this.excluded.filter((n) => n !== name);
  }

  /** The champion model becomes the existing process (one existing process at a time). */
  chooseChampion(): void {
    this.baseline = '';
    this.champion = true;
  }

  setExcluded(name: string, excluded: boolean): void {
    const rest = this.excluded.filter((n) => n !== name);
    this.excluded = excluded ? [...rest, name] : rest;
  }

  draft(): GoalDraft {
    return { ...this.values, excluded: [...this.excluded] };
  }

  /** Restores a saved draft, keeping only what still makes sense for `frame`. */
  load(frame: Frame, draft: GoalDraft): void {
    const names = new Set(frame.columns.map((c) => c.name));
    this.reset();
    if (draft.target && names.has(draft.target)) {
      this.target = draft.target;
      this.task = TASK_VALUES.includes(draft.task as Task) ? (draft.task as Task) : '';
      this.metric = isMetricName(draft.metric) ? draft.metric : '';
      if (this.task) this.metric = metricForTask(this.task, this.metric);
    }
    this.threshold = draft.threshold ?? '';
    if (Number.isFinite(draft.budget)) this.budget = draft.budget;
    if (SEARCH_VALUES.includes(draft.search as SearchStrategy)) this.search = draft.search as SearchStrategy;
    this.baseline = draft.baseline && names.has(draft.baseline) ? draft.baseline : '';
    this.excluded = (draft.excluded ?? []).filter((n) => names.has(n));
    this.champion = draft.champion === true && !this.baseline;
    if (typeof draft.coverage === 'number' && draft.coverage > 0 && draft.coverage < 1) this.coverage = draft.coverage;
    if (draft.decision) this.decision = { ...emptyDecisionForm(), ...draft.decision };
    if (draft.constraints) {
      const monotonic = Object.fromEntries(Object.entries(draft.constraints.monotonic ?? {}).filter(([c]) => names.has(c)));
      this.constraints = { ...emptyConstraintForm(), ...draft.constraints, monotonic };
    }
  }

  /** The form for retraining a shipped project on new data (same target, task, metric and settings). */
  loadProject(frame: Frame, project: ResolvedProject): void {
    const d = project.decision;
    this.loadDefinition(frame, {
      target: project.target,
      task: project.task,
      metric: project.metric,
      successThreshold: project.successThreshold,
      budgetSeconds: project.budgetSeconds,
      search: project.search,
      coverage: project.coverage,
      exclude: project.removed.filter((r) => r.reason === 'excluded by the user').map((r) => r.name),
      // The shipped project's decision settings and deployment limits carry over to the retraining.
      ...(d
        ? {
            positive: d.positiveClass !== undefined ? project.classes[d.positiveClass] : undefined,
            costs: d.costs,
            operatingTarget: d.operatingTarget,
            costMatrix: d.costMatrix,
            calibration: d.calibration,
            successSavingsPer1000: d.savingsPer1000,
          }
        : {}),
      constraints: project.constraints,
    });
  }

  /** The form as it was for an experiment's definition (reopening a past experiment); `champion`: it was compared with the champion. */
  loadDefinition(frame: Frame, def: ProjectDefinition, champion = false): void {
    this.load(frame, {
      target: def.target,
      task: def.task ?? '',
      metric: def.metric ?? '',
      threshold: def.successThreshold !== undefined ? String(def.successThreshold) : '',
      budget: def.budgetSeconds ?? BUDGET_DEFAULT_SECONDS,
      search: def.search ?? 'tpe',
      baseline: def.baselineColumn ?? '',
      excluded: def.exclude ?? [],
      champion,
      coverage: def.coverage,
      decision: decisionFormOf(def),
      constraints: {
        maxPredictMs: def.constraints?.maxPredictMs !== undefined ? String(def.constraints.maxPredictMs) : '',
        maxBundleKb: def.constraints?.maxBundleKb !== undefined ? String(def.constraints.maxBundleKb) : '',
        readable: def.constraints?.readable ?? false,
        monotonic: { ...(def.constraints?.monotonic ?? {}) },
      },
    });
  }
}

export const goalState = new GoalState();

/** The decision fields of a definition as the form shows them (reopening a past experiment). */
function decisionFormOf(def: ProjectDefinition): DecisionFormValues {
  const form = emptyDecisionForm();
  form.positive = def.positive ?? '';
  form.calibration = def.calibration ?? 'auto';
  if (def.costMatrix) {
    form.mode = 'costs';
    form.matrix = def.costMatrix.map((row) => row.map(String));
  } else if (def.costs) {
    form.mode = 'costs';
    form.fp = String(def.costs.fp);
    form.fn = String(def.costs.fn);
    form.tp = def.costs.tp ? String(def.costs.tp) : '';
    form.savings = def.successSavingsPer1000 !== undefined ? String(def.successSavingsPer1000) : '';
  } else if (def.operatingTarget) {
    form.mode = 'target';
    form.targetKind = def.operatingTarget.kind;
    form.targetPercent = String(Number((def.operatingTarget.value * 100).toPrecision(6)));
  }
  return form;
}
