/**
 * The Experiment: goal → plan → trials → feature selection → ensemble → refit → test score.
 *
 * Protocol: a stratified test split is set aside first and never reaches the search, the selection or
 * the ensemble; trials are k-fold cross-validated on the rest; the winner (a single pipeline or a
 * Caruana ensemble of them) is refitted on every search row and scored once on the test split.
 * The whole run, refit included, respects the time budget; cancelling keeps every finished trial.
 */
import type { Frame } from '../data/frame.ts';
import { computeMetrics, METRICS, type Prediction } from '../eval/metrics.ts';
import { kFold, samplePositions, subsampleRows, trainTestSplit, type Fold } from '../eval/split.ts';
import { mutualInformationScores, redundantPairs, type FilterColumn } from '../select/filter.ts';
import { decideFeatures, type DroppedFeature, type FeatureEvidence } from '../select/selection.ts';
import { blendPredictions, caruanaEnsemble, simpleShare } from './ensemble.ts';
import { fitFinalModel, type FinalModel } from './model.ts';
import { fitDecisionLayer, reportDecisions, winnerOutOfFold, type DecisionReport } from './decisions.ts';
import { constrainedParams, type DeploymentConstraints } from './constraints.ts';
import { constraintBreaks, DEFAULT_BUNDLE_BASE_KB, limitsDeployment, measureDeployment, SEARCH_MARGIN, summedDeployment, type DeploymentFigures } from './deployment.ts';
import { checkMonotonic, type MonotonicCheck } from './monotonic-check.ts';
import { planEvaluation, trainRowsPerFit } from './plan.ts';
import { ProjectError, resolveProject } from './project.ts';
import type { TrialRunner } from './runner.ts';
import { buildBinnedStore, STORE_FAMILIES } from '../models/trees/binned-store.ts';
import { Scheduler } from './scheduler.ts';
import { configKey } from '../search/space.ts';
import { isAbort } from '../util/abort.ts';
import { blendedOof, buildTrust } from './trust.ts';
import type { ConformalReport } from '../eval/conformal-report.ts';
import type { ExperimentEvent, LeaderboardEntry, Phase, ValidationSummary, ProjectDefinition, ResolvedProject, TrialContext, TrialResult, TrialSpec } from './types.ts';
import { crossFitted } from '../eval/calibration.ts';

export interface ExperimentOptions {
  runner: TrialRunner;
  onEvent?: (e: ExperimentEvent) => void;
  signal?: AbortSignal;
  /**
   * When the user's wait began (ms since epoch; default: now). The budget counts from here, so that
   * what the host did before (reading, starting workers) is inside it.
   */
  startedAt?: number;
  /**
   * Seconds the host needs after this returns (the A/B comparison, explanations, writing results):
   * the search and the refit end that much before the budget does.
   */
  reserveAfterSeconds?: number;
  /** KB of a bundle besides its model files (runtime, server, card), for size limits; default DEFAULT_BUNDLE_BASE_KB. */
  bundleBaseKb?: number;
}

/** The deployment constraints and what the final model measures (bundleKb estimated; the CLI replaces it with the zip's size). */
export interface ConstraintsResult extends DeploymentConstraints {
  measured: DeploymentFigures;
  satisfied: boolean;
  breaks: string[];
}

export interface ExperimentResult {
  project: ResolvedProject;
  leaderboard: LeaderboardEntry[];
  winner: LeaderboardEntry;
  model: FinalModel;
  searchRows: Int32Array;
  testRows: Int32Array;
  /** The encoded target over all frame rows (NaN where missing). */
  y: Float64Array;
  test: Record<string, number>;
  testPrediction: Prediction;
  selectedFeatures: string[];
  droppedFeatures: DroppedFeature[];
  elapsedSeconds: number;
  trials: number;
  cancelled: boolean;
  folds: number;
  /** How trials were validated, and why (k-fold, repeated k-fold or one holdout). */
  validation: ValidationSummary;
  /** Rows the final model was fitted on: every search row, or a stated sample when they did not fit the budget. */
  refitRows: number;
  /** The conformal intervals or sets on the test split (calibrated out of fold; automl/trust.ts). */
  conformal?: ConformalReport;
  /** Why there is no conformal report, when there is none. */
  conformalNote?: string;
  /** Calibration and the decision threshold (fitted out of fold), reported on the test split. */
  decisions: DecisionReport;
  /** Monotonic effects verified on every test row's ICE curve (when the project sets them). */
  monotonicChecks?: MonotonicCheck[];
  /** The deployment constraints with the final model's measured figures (when the project sets any). */
  constraints?: ConstraintsResult;
}

export async function runExperiment(frame: Frame, def: ProjectDefinition, opts: ExperimentOptions): Promise<ExperimentResult> {
  const started = opts.startedAt ?? Date.now();
  const emit = (e: ExperimentEvent) => opts.onEvent?.(e);
  const phase = (p: Phase, message: string) => emit({ type: 'phase', phase: p, message });
  const { project, target } = resolveProject(frame, def);
  const classification = project.task !== 'regression';
  // The budget is what the user waits for: the host's work after this returns is inside it too.
  const budgetEnd = started + (project.budgetSeconds - (opts.reserveAfterSeconds ?? 0)) * 1000;
  const deterministic = project.maxTrials !== undefined && def.budgetSeconds === undefined;

  // 1. Hold out the test split, then plan the cross-validation on what is left.
  const { searchRows, testRows } = holdOut(target.rows, target.y, project.testSize, project.seed, classification, def.testRows);
  const plan = planEvaluation(searchRows.length, project.budgetSeconds, project.nClasses, project.features.length);
  const ySearch = Float64Array.from(searchRows, (r) => target.y[r]);
  const folds: Fold[] = [];
  if (plan.validation === 'holdout') {
    const split = trainTestSplit(ySearch, { testSize: plan.holdoutRows / searchRows.length, seed: project.seed + 1, stratify: classification });
    folds.push({ train: Int32Array.from(split.train, (i) => searchRows[i]), valid: Int32Array.from(split.test, (i) => searchRows[i]) });
  } else {
    for (let r = 0; r < plan.repeats; r++) {
      for (const f of kFold(ySearch, { k: plan.folds, seed: project.seed + 1 + r, stratify: classification })) {
        folds.push({ train: Int32Array.from(f.train, (i) => searchRows[i]), valid: Int32Array.from(f.valid, (i) => searchRows[i]) });
      }
    }
  }
  // Under a holdout only its validation rows get out-of-fold predictions; the ensemble is chosen there.
  const oofRows = plan.validation === 'holdout' ? folds[0].valid : searchRows;
  /** A holdout compares trials across rungs (a large table may never reach full rows in the budget). */
  const anyFidelity = plan.validation === 'holdout';
  const ctx: TrialContext = {
    frame,
    target: project.target,
    task: project.task,
    nClasses: project.nClasses,
    classes: project.classes,
    metric: project.metric,
    y: target.y,
    searchRows,
    folds,
    oofRows,
    // The two highest rungs keep their predictions on the holdout (small: ≤ 100,000 rows each).
    oofMinFidelity: anyFidelity ? plan.rungs[Math.max(0, plan.rungs.length - 2)] : 1,
    // Tree trials read one binned copy of the inputs, shared by every worker, instead of each
    // preprocessing its folds into Float64 matrices (thresholds from the search rows, never the test's).
    binned: project.families.some((f) => STORE_FAMILIES.has(f)) ? buildBinnedStore(frame, project.features, searchRows, project.seed) : undefined,
    ...(limitsDeployment(project.constraints) ? { deployment: { bundleBaseKb: opts.bundleBaseKb ?? DEFAULT_BUNDLE_BASE_KB } } : {}),
  };
  const validation: ValidationSummary = { kind: plan.validation, folds: plan.folds, repeats: plan.repeats, holdoutRows: plan.holdoutRows, reason: plan.reason };
  emit({
    type: 'run-started',
    project,
    searchRows: searchRows.length,
    testRows: testRows.length,
    folds: plan.folds,
    repeats: plan.repeats,
    workers: opts.runner.slots,
    validation,
  });
  const cv = plan.validation === 'holdout' ? `a holdout of ${plan.holdoutRows} rows` : plan.repeats > 1 ? `${plan.repeats}×${plan.folds}-fold CV` : `${plan.folds}-fold CV`;
  phase('preparing', `${searchRows.length} rows for the search (${cv}), ${testRows.length} held out for the test`);

  /** +1 when a higher score is better. */
  const sign: 1 | -1 = METRICS[project.metric].greaterIsBetter ? 1 : -1;
  const scheduler = new Scheduler({
    families: project.families,
    strategy: project.search,
    seed: project.seed,
    plan,
    searchRows: searchRows.length,
    features: project.features,
    useMeasuredTimes: !deterministic,
    budgetSeconds: project.budgetSeconds,
    sign,
  });

  const leaderboard: LeaderboardEntry[] = [];
  const results = new Map<number, TrialResult>();
  let best: LeaderboardEntry | null = null;
  let cancelled = false;
  let trialsStarted = 0;
  let droppedFeatures: DroppedFeature[] = [];
  // Filter statistics on (up to 20,000) search rows, computed once: MI per column, correlated pairs.
  const filterSample = Int32Array.from(samplePositions(searchRows.length, 20000, project.seed), (p) => searchRows[p]);
  const filterCols = filterColumns(frame, project.features, filterSample);
  const filterScores = new Map(
    mutualInformationScores(filterCols, Float64Array.from(filterSample, (r) => target.y[r]), classification, project.seed).map((s) => [s.name, s]),
  );
  const redundant = redundantPairs(filterCols);

  /** Rows one fit of a full-fidelity trial trains on. */
  const fitRows = trainRowsPerFit(plan, searchRows.length);
  /**
   * Expected seconds to refit these trials on all search rows: one fold's fit scaled to the full rows
   * (a trial on a share of the rows scaled up by that share too: fit time grows about linearly in rows).
   */
  const refitSeconds = (ids: number[]): number => ids.reduce((a, id) => a + fitSecondsPerRow(id) * searchRows.length, 0);
  /**
   * Seconds per training row of a trial's configuration: the least over every trial of the same
   * family and parameters (a trial that ran while the workers started, or beside a slow one, is
   * slower than the same fit alone).
   */
  const fitSecondsPerRow = (id: number): number => {
    const spec = scheduler.spec(id);
    if (!spec) return 0;
    const key = configKey(spec.family, spec.params);
    let best = Infinity;
    for (const [other, result] of results) {
      const s = scheduler.spec(other);
      if (!s || result.status !== 'ok' || !(result.foldFitSeconds > 0) || configKey(s.family, s.params) !== key) continue;
      best = Math.min(best, result.foldFitSeconds / Math.max(1, fitRows * s.fidelity));
    }
    return Number.isFinite(best) ? best : 0;
  };
  /** Seconds to predict the test split and leave a margin (a large table's test split takes a while). */
  const testSeconds = 0.5 + testRows.length / 100_000;
  /**
   * After the refit: the calibration choice (cross-fitted on the out-of-fold rows) and the decision
   * report's bootstraps, then the conformal calibration and the drift profile (on ≤ 200,000 rows).
   * Measured at 100,000 rows: 1.6 s and 0.9 s.
   */
  const decisionSeconds = classification ? 0.3 + oofRows.length / 60_000 : 0;
  const trustSeconds = 0.2 + Math.min(searchRows.length, 200_000) / 80_000;
  const afterRefitSeconds = testSeconds + decisionSeconds + trustSeconds;
  /**
   * At most this share of the budget is held back for the refit: beyond it the final model trains on a
   * sample of the search rows (stated) rather than leaving the search no time at all.
   */
  const maxRefitShare = 0.4;
  /** At most this long for the Occam blend's bootstrap (it stops early on a large table anyway). */
  const occamSeconds = classification ? 0.5 + Math.min(searchRows.length, 8000) / 8000 : 0;
  const reserveSeconds = (): number => {
    // Time kept back after the search: ensemble selection and the Occam blend, then refitting the best
    // entry (with a safety factor of 2), scoring the test, the decision layer and the trust report.
    // Selection works on ≤ 8,000 sampled out-of-fold rows, however large the validation split.
    const ensembleSeconds = 0.5 + Math.min(oofRows.length, 8000) / 40000 + occamSeconds;
    if (!best) return 1 + ensembleSeconds + afterRefitSeconds;
    const refit = refitSeconds(best.members ? best.members.map((m) => m.id) : [best.id]);
    // A safety factor of 2 on quick refits (their timing is noisy); long ones are measured well enough.
    const refitReserve = Math.min(refit > 5 ? 1.25 * refit : 2 * refit, maxRefitShare * project.budgetSeconds);
    return refitReserve + ensembleSeconds + afterRefitSeconds;
  };
  const searchDeadline = (): number => (deterministic ? Infinity : budgetEnd - reserveSeconds() * 1000);
  const progress = () => {
    const elapsed = (Date.now() - started) / 1000;
    const fraction = deterministic ? leaderboard.length / project.maxTrials! : Math.min(1, elapsed / project.budgetSeconds);
    emit({ type: 'progress', elapsedSeconds: elapsed, remainingSeconds: deterministic ? NaN : Math.max(0, project.budgetSeconds - elapsed), trials: leaderboard.length, fraction });
  };

  const onResult = (spec: TrialSpec, result: TrialResult) => {
    results.set(spec.id, result);
    const selectionBefore = scheduler.selectionOutcome;
    scheduler.record(result);
    if (selectionBefore === 'pending' && scheduler.selectionOutcome === 'reverted') {
      // The selected features scored worse than all of them: later trials use every feature again
      // (droppedFeatures keeps the reasons, reported only for columns the winner does not read).
      emit({ type: 'features', selected: project.features, dropped: [] });
      phase('search', `keeping every feature: on the selected ones the median family scored ${Math.abs(scheduler.selectionEffect).toPrecision(2)} worse in cross-validation`);
    }
    const entry = toEntry(spec, result);
    if (result.deployment) {
      entry.deployment = result.deployment;
      const breaks = constraintBreaks(project.constraints, result.deployment, SEARCH_MARGIN);
      if (breaks.length) entry.breaks = breaks;
    }
    leaderboard.push(entry);
    emit({ type: 'trial-finished', entry });
    if (entry.status === 'ok' && !entry.breaks && (anyFidelity || spec.fidelity >= 1) && (!best || entry.cvScore * sign > best.cvScore * sign)) {
      best = entry;
      emit({ type: 'best', entry });
    }
    if (spec.computeImportance && !scheduler.selectionDone) {
      phase('feature-selection', 'choosing features from permutation importance and mutual information');
      const evidence = new Map<string, FeatureEvidence>();
      for (const name of project.features) {
        evidence.set(name, { name, permutation: result.permutation?.[name], mi: filterScores.get(name), gain: result.gain?.[name] });
      }
      const decision = result.status === 'ok' ? decideFeatures(project.features, evidence, redundant) : { selected: project.features, dropped: [] };
      droppedFeatures = decision.dropped;
      scheduler.applySelection(decision.selected);
      emit({ type: 'features', selected: decision.selected, dropped: decision.dropped });
      phase('search', `searching with ${project.search}`);
    }
    progress();
  };

  // 2. The trial loop: keep every slot busy until the budget (or the trial count) is spent.
  await opts.runner.init(ctx);
  phase('portfolio', 'trying each family’s proven defaults, cheapest first');
  const abortListener = () => {
    cancelled = true;
    opts.runner.cancelAll();
  };
  opts.signal?.addEventListener('abort', abortListener);
  if (opts.signal?.aborted) cancelled = true;
  /** Whether another trial may start, counting `queued` trials about to be launched. */
  const canStart = (queued = 0) => {
    if (cancelled) return false;
    if (project.maxTrials !== undefined && trialsStarted + queued >= project.maxTrials) return false;
    if (deterministic) return true;
    return Date.now() < searchDeadline() - 200;
  };
  const ticker = setInterval(progress, 500);
  const launch = (spec: TrialSpec): Promise<{ spec: TrialSpec; result: TrialResult | null }> => {
    trialsStarted++;
    // Monotonic effects travel in the trial's parameters (GBDT monotonic_cst, linear sign_cst).
    spec.params = constrainedParams(spec.family, spec.params, project.constraints?.monotonic, project.task === 'binary' && project.decision?.positiveClass === 0);
    emit({ type: 'trial-started', trial: spec });
    return opts.runner.run(spec).then(
      (result) => ({ spec, result }),
      (err) => ({ spec, result: isAbort(err) ? null : failed(spec, err) }),
    );
  };
  try {
    if (deterministic) {
      // Reproducible mode: batches of `slots` trials, results handled in id order, so the history the
      // samplers see never depends on which worker finished first.
      while (canStart()) {
        const batch: TrialSpec[] = [];
        while (batch.length < opts.runner.slots && canStart(batch.length)) {
          const spec = scheduler.next(searchDeadline());
          if (!spec) break;
          batch.push(spec);
          // The probe's importance decides the features of every later trial: let it report first.
          if (spec.computeImportance) break;
        }
        if (batch.length === 0) break;
        const done = await Promise.all(batch.map(launch));
        for (const d of done.sort((a, b) => a.spec.id - b.spec.id)) if (d.result) onResult(d.spec, d.result);
      }
    } else {
      // Budget mode: keep every slot busy; handle whichever trial finishes first.
      const running = new Map<number, Promise<{ spec: TrialSpec; result: TrialResult | null }>>();
      for (;;) {
        while (running.size < opts.runner.slots && canStart()) {
          const spec = scheduler.next(searchDeadline(), (searchDeadline() - Date.now()) / 1000);
          if (!spec) break;
          running.set(spec.id, launch(spec));
        }
        if (running.size === 0) break;
        const done = await Promise.race(running.values());
        running.delete(done.spec.id);
        if (done.result) onResult(done.spec, done.result);
      }
    }
  } finally {
    clearInterval(ticker);
    opts.signal?.removeEventListener('abort', abortListener);
  }

  // 3. Ensemble of the full-fidelity trials by Caruana's greedy selection on out-of-fold predictions.
  phase('ensemble', 'building an ensemble from out-of-fold predictions');
  // Every member is refit on all search rows within what is left of the budget: candidates too slow
  // to refit are left out, and an ensemble whose refit would not fit loses its slowest member and is
  // selected again (a small MLP-free ensemble beats falling back to one model).
  const refitFits = (ids: number[]) => deterministic || cancelled || Date.now() + 1.5 * refitSeconds(ids) * 1000 < budgetEnd;
  let candidates = ensembleCandidates(leaderboard.filter((e) => e.status === 'ok' && !e.breaks && (anyFidelity || e.fidelity >= 1) && results.get(e.id)?.oof), sign).filter((c) =>
    refitFits([c.id]),
  );
  // Selection on at most 8000 out-of-fold rows: each greedy step scores every candidate, and the
  // metric (an AUC sorts) dominates the cost; a sample picks the same weights to within noise.
  const width = classification ? project.nClasses : 1;
  const positions = samplePositions(oofRows.length, 8000, project.seed);
  const ySample = Float64Array.from(positions, (p) => target.y[oofRows[p]]);
  /** A trial's out-of-fold predictions on the sampled rows (null for one without). */
  const oofOf = (id: number) => (results.get(id)?.oof ? gatherRows(results.get(id)!.oof!, positions, width) : null);
  let ens: ReturnType<typeof caruanaEnsemble> = null;
  // A readable model is one model: no ensemble, no blend.
  const oneModel = !!project.constraints?.readable;
  for (let attempt = 0; attempt < 4 && candidates.length >= 2 && !oneModel; attempt++) {
    ens = caruanaEnsemble(
      candidates.map((c) => ({ id: c.id, oof: oofOf(c.id)! })),
      ySample,
      project.task,
      project.nClasses,
      project.metric,
    );
    if (!ens || ens.weights.size < 2) break;
    const ids = [...ens.weights.keys()];
    // Under deployment limits an ensemble costs the sum of its members' time and size.
    if (constraintBreaks(project.constraints, summedDeployment(ids.map((id) => leaderboard.find((e) => e.id === id)!)), SEARCH_MARGIN).length) {
      ens = null;
      break;
    }
    if (refitFits(ids)) break;
    const slowest = ids.reduce((a, b) => (refitSeconds([a]) >= refitSeconds([b]) ? a : b));
    candidates = candidates.filter((c) => c.id !== slowest);
    ens = null;
  }
  let fallbackNote: string | undefined;
  if (!best && !cancelled) {
    // A budget too short for a search still gets the quickest sound model: the cheapest family's first
    // proven configuration on all rows, fitted however long it takes, and the run says so.
    const spec = scheduler.quickestSpec();
    if (spec) {
      phase('search', `the budget was too short for a search: fitting ${spec.family}'s default configuration without a time limit`);
      const done = await launch(spec);
      if (done.result) onResult(done.spec, done.result);
      if (best) fallbackNote = `the budget was too short for a search, so this is the quickest sound model (${spec.family}'s default configuration), fitted without a time limit`;
    }
  }
  if (!best && leaderboard.some((e) => e.breaks)) {
    throw new Error(`no model met the deployment constraints: ${leaderboard.filter((e) => e.breaks).slice(0, 3).map((e) => `${e.name} ${e.breaks!.join(', ')}`).join('; ')}`);
  }
  if (!best) {
    throw new Error(cancelled ? 'the run was cancelled before any trial finished' : 'no trial finished successfully: ' + (leaderboard.find((e) => e.error)?.error ?? 'the budget was too short for even one model'));
  }
  // The chosen predictions: the ensemble when it beats the best single trial out of fold; otherwise
  // that trial, or by the one-standard-error rule its equal on fewer features (unless cross-validation
  // rejected the selection).
  const top = best as LeaderboardEntry;
  const single: LeaderboardEntry = scheduler.selectionOutcome === 'reverted' ? top : preferParsimony(top, leaderboard, results, sign);
  let members = ens && ens.weights.size >= 2 && ens.score * sign > top.cvScore * sign ? [...ens.weights].map(([id, weight]) => ({ id, weight })) : [{ id: single.id, weight: 1 }];
  let cvScore = members.length > 1 ? ens!.score : single.cvScore;
  let note: string | undefined;
  // Occam's razor: blend in the best linear trial while out of fold that is not significantly worse.
  // Classification only: a regression metric squares the errors of a few extreme rows, which widens the
  // bootstrap interval until "not significantly worse" no longer means "as good" (on ames_housing a
  // 60 % linear share passed at out-of-fold R² 0.905 against 0.917, and the test R² fell 0.90 → 0.87).
  const simple = classification ? bestOfFamilies(leaderboard.filter((e) => !e.breaks), sign, anyFidelity).find((e) => e.family === 'linear' && results.get(e.id)?.oof) : undefined;
  const occamAllowed = (ids: number[]) => !constraintBreaks(project.constraints, summedDeployment(ids.map((id) => leaderboard.find((e) => e.id === id)!)), SEARCH_MARGIN).length;
  const occam = simple && !oneModel && occamAllowed([...members.map((m) => m.id), simple.id]) && occamBlend(members, simple, oofOf, ySample, project, deterministic ? undefined : Date.now() + 1000 * occamSeconds);
  if (occam && refitFits(occam.members.map((m) => m.id))) {
    ({ members, cvScore, note } = occam);
    phase('ensemble', occam.note);
  }
  if (members.length > 1) {
    const features = [...new Set(members.flatMap((m) => leaderboard.find((e) => e.id === m.id)!.features))];
    const entry: LeaderboardEntry = {
      id: 0,
      name: `ensemble of ${members.length}`,
      family: 'ensemble',
      params: {},
      features,
      featureSet: members.every((m) => leaderboard.find((e) => e.id === m.id)!.featureSet === 'selected') ? 'selected' : 'all',
      fidelity: 1,
      origin: 'ensemble',
      status: 'ok',
      cvScore,
      cvStd: NaN,
      seconds: 0,
      finishedAt: Date.now(),
      members,
      note,
    };
    leaderboard.push(entry);
    emit({ type: 'trial-finished', entry });
    emit({ type: 'best', entry });
  }
  // (A share of 1 leaves the linear trial alone: it is the winner then, with the reason.)
  const winner: LeaderboardEntry = members.length > 1 ? leaderboard[leaderboard.length - 1] : leaderboard.find((e) => e.id === members[0].id)!;
  if (note && members.length === 1) winner.note = note;

  if (fallbackNote && !winner.note) winner.note = fallbackNote;

  // 4. Refit the winner on every search row (or, when that would not fit the budget, on the largest
  // stratified sample that does, stated) and score it once on the test split.
  const memberSpecs = (winner.members ?? [{ id: winner.id, weight: 1 }]).map((m) => ({ weight: m.weight, entry: leaderboard.find((e) => e.id === m.id)! }));
  // The refit may use the budget's 5 % tolerance: a truncated final model would be worse than late.
  const refitDeadline = budgetEnd + 0.6 * Math.max(2000, 50 * project.budgetSeconds);
  // Only a large table (a holdout) is refitted on a sample: a k-fold table's refit takes seconds, and
  // a sample of it would cost far more quality than the moment it saves.
  const refitTrainRows =
    deterministic || fallbackNote || !anyFidelity
      ? searchRows
      : refitSample(searchRows, target.y, refitSeconds(memberSpecs.map((m) => m.entry.id)), (refitDeadline - Date.now()) / 1000 - afterRefitSeconds, project.seed, classification);
  phase('refit', refitTrainRows.length === searchRows.length
    ? `refitting ${winner.name} on all ${searchRows.length} search rows`
    : `refitting ${winner.name} on a stratified sample of ${refitTrainRows.length} of the ${searchRows.length} search rows: all of them would not fit the budget`);
  const model = await fitFinalModel(frame, {
    target: project.target,
    task: project.task,
    classes: project.classes,
    trainRows: refitTrainRows,
    seed: project.seed,
    // The test split is predicted after the fit, inside the same tolerance.
    deadline: deterministic || fallbackNote ? undefined : refitDeadline - afterRefitSeconds * 1000,
    members: memberSpecs.map((m) => ({ weight: m.weight, family: m.entry.family as Exclude<typeof m.entry.family, 'ensemble'>, params: m.entry.params, features: m.entry.features })),
    binned: ctx.binned,
  });
  // 5. Calibration and the decision rule, fitted on the winner's out-of-fold predictions (never on the
  // test split); the model applies them, so every consumer of its probabilities sees calibrated ones.
  const decisionFit = fitDecisionLayer(
    classification ? winnerOutOfFold(memberSpecs.map((m) => ({ weight: m.weight, oof: results.get(m.entry.id)?.oof })), oofRows.length * width) : null,
    Float64Array.from(oofRows, (r) => target.y[r]),
    project,
  );
  model.calibration = decisionFit.calibration;
  model.decision = decisionFit.rule;
  const rawTest = await model.predictUncalibrated(frame, testRows);
  const testPrediction = rawTest.proba ? model.finish(rawTest.proba) : rawTest;
  const yTest = Float64Array.from(testRows, (r) => target.y[r]);
  const decisions = rawTest.proba ? reportDecisions(decisionFit, rawTest.proba, testPrediction.proba!, yTest, project) : {};
  let constraints: ConstraintsResult | undefined;
  if (project.constraints) {
    // The final model, measured as the trials were: the bundle runtime on up to 1,000 test rows.
    const measured = await measureDeployment(model.toJSON(), frame, testRows.subarray(0, 1000), opts.bundleBaseKb ?? DEFAULT_BUNDLE_BASE_KB);
    const breaks = constraintBreaks(project.constraints, measured);
    constraints = { ...project.constraints, measured, satisfied: breaks.length === 0, breaks };
  }
  const monotonic = project.constraints?.monotonic;
  const monotonicChecks =
    monotonic && Object.keys(monotonic).length ? await checkMonotonic(model, frame, monotonic, searchRows, testRows, project.decision?.positiveClass ?? 1) : undefined;
  const test = computeMetrics(project.task, yTest, testPrediction, project.nClasses);
  // Intervals or sets calibrated on the winner's out-of-fold predictions, reported on the test split;
  // and the training profile for the drift check (a sample of ≤ 200,000 rows stands for a larger table).
  // CQR's two quantile GBDTs (fitted on the first fold) when the budget has room for them: three times
  // the quickest GBDT trial's fold fit (they are two, with up to 300 rounds each).
  const gbdtFold = Math.min(...[...results].filter(([id, r]) => r.status === 'ok' && scheduler.spec(id)?.family === 'gbdt').map(([, r]) => r.foldFitSeconds));
  const cqrFits = project.task === 'regression' && project.families.includes('gbdt') && (deterministic || Date.now() + 3000 * gbdtFold < budgetEnd);
  // Sets are built from the probabilities the model returns, so their cutoff is calibrated on
  // out-of-fold probabilities through the same kind of calibrator, cross-fitted (no row calibrated by
  // a calibrator that saw it, as a new row will not be).
  const trustOof = blendedOof(memberSpecs.map((m) => ({ id: m.entry.id, weight: m.weight })), (id) => results.get(id)?.oofFirstRepeat ?? results.get(id)?.oof);
  const trust = await buildTrust({
    project,
    frame,
    y: target.y,
    oof:
      trustOof && classification
        ? crossFitted(decisionFit.calibration.method, trustOof, Float64Array.from(oofRows, (r) => target.y[r]), width, project.seed)
        : trustOof,
    oofRaw: trustOof,
    oofRows,
    trainRows: Int32Array.from(samplePositions(refitTrainRows.length, 200_000, project.seed), (p) => refitTrainRows[p]),
    inputs: model.inputColumns,
    testRows,
    testPrediction,
    testRawProba: rawTest.proba,
    cqrFold: cqrFits ? folds[0] : undefined,
    deadline: deterministic ? undefined : refitDeadline,
  });
  model.trust = { conformal: trust.conformal, drift: trust.drift };
  const elapsedSeconds = (Date.now() - started) / 1000;
  phase('done', `finished in ${elapsedSeconds.toFixed(1)} s`);
  emit({ type: 'run-finished', elapsedSeconds, cancelled });

  const selectedFeatures = [...new Set(memberSpecs.flatMap((m) => m.entry.features))];
  const droppedAll = mergeDropped(project, selectedFeatures, droppedFeatures);
  return {
    project,
    leaderboard: [...leaderboard].sort((a, b) => rank(a, b, sign)),
    winner,
    model,
    searchRows,
    testRows,
    y: target.y,
    test,
    testPrediction,
    selectedFeatures,
    droppedFeatures: droppedAll,
    elapsedSeconds,
    trials: leaderboard.filter((e) => e.family !== 'ensemble').length,
    cancelled,
    folds: plan.folds,
    validation,
    refitRows: refitTrainRows.length,
    conformal: trust.conformalReport,
    conformalNote: trust.conformalNote,
    decisions,
    ...(monotonicChecks ? { monotonicChecks } : {}),
    ...(constraints ? { constraints } : {}),
  };
}

/**
 * The rows of the final refit: every search row when the expected refit fits the seconds left, else
 * the largest stratified sample that does (fit time grows about linearly with rows), never fewer
 * than a tenth of them.
 */
export function refitSample(searchRows: Int32Array, y: Float64Array, expectedSeconds: number, secondsLeft: number, seed: number, stratify: boolean): Int32Array {
  // A margin of 30 %: with early stopping, more rows also mean more boosting rounds (a 1M-row refit
  // on a quarter of the rows took 29 s where 26 s were expected).
  if (!(expectedSeconds > 0) || expectedSeconds * 1.3 <= secondsLeft) return searchRows;
  const share = Math.max(0.1, secondsLeft / (expectedSeconds * 1.3));
  if (share >= 0.95) return searchRows;
  return subsampleRows(searchRows, y, Math.round(searchRows.length * share), seed + 17, stratify);
}

/** The test split (seeded and stratified, or the user's explicit rows) and the search rows left. */
function holdOut(rows: Int32Array, y: Float64Array, testSize: number, seed: number, stratify: boolean, explicit?: ArrayLike<number>): { searchRows: Int32Array; testRows: Int32Array } {
  if (explicit) {
    const inTest = new Uint8Array(y.length);
    for (let i = 0; i < explicit.length; i++) {
      const r = explicit[i];
      if (!(Number.isInteger(r) && r >= 0 && r < y.length)) throw new ProjectError(`test row ${r} does not exist (the data has ${y.length} rows)`);
      inTest[r] = 1;
    }
    const testRows = rows.filter((r) => inTest[r] === 1);
    const searchRows = rows.filter((r) => inTest[r] === 0);
    if (testRows.length === 0 || searchRows.length < 10) throw new ProjectError('the explicit test rows leave no test rows or fewer than 10 rows to search on');
    return { searchRows, testRows };
  }
  const yPresent = Float64Array.from(rows, (r) => y[r]);
  const split = trainTestSplit(yPresent, { testSize, seed, stratify });
  return { searchRows: Int32Array.from(split.train, (i) => rows[i]), testRows: Int32Array.from(split.test, (i) => rows[i]) };
}

function gatherRows(pred: Float64Array, positions: Int32Array, width: number): Float64Array {
  const out = new Float64Array(positions.length * width);
  for (let i = 0; i < positions.length; i++) for (let k = 0; k < width; k++) out[i * width + k] = pred[positions[i] * width + k];
  return out;
}

function toEntry(spec: TrialSpec, result: TrialResult): LeaderboardEntry {
  const mean = result.score;
  const sd =
    result.foldScores.length > 1
      ? Math.sqrt(result.foldScores.reduce((a, s) => a + (s - mean) ** 2, 0) / (result.foldScores.length - 1))
      : NaN;
  return {
    id: spec.id,
    name: `${spec.family} #${spec.id}`,
    family: spec.family,
    params: spec.params,
    features: spec.features,
    featureSet: spec.featureSet,
    fidelity: spec.fidelity,
    origin: spec.origin,
    status: result.status,
    cvScore: result.score,
    cvStd: sd,
    seconds: result.seconds,
    finishedAt: Date.now(),
    error: result.error,
  };
}

function failed(spec: TrialSpec, err: unknown): TrialResult {
  return { id: spec.id, status: 'failed', score: NaN, foldScores: [], seconds: 0, foldFitSeconds: 0, error: err instanceof Error ? err.message : String(err) };
}

/** Best first; unfinished or failed trials last, lower fidelity after full. */
function rank(a: LeaderboardEntry, b: LeaderboardEntry, sign: number): number {
  const okA = a.status === 'ok' ? 1 : 0;
  const okB = b.status === 'ok' ? 1 : 0;
  if (okA !== okB) return okB - okA;
  if (a.fidelity !== b.fidelity) return b.fidelity - a.fidelity;
  if (!okA) return a.id - b.id;
  return (b.cvScore - a.cvScore) * sign || a.id - b.id;
}

/**
 * The trials the ensemble may draw on: the 8 best, plus the best of every other family. The top of a
 * long search is often eight near-copies of one configuration; an ensemble gains from members that
 * err differently (AutoGluon stacks the best model of each type for the same reason).
 */
function ensembleCandidates(finished: LeaderboardEntry[], sign: number): LeaderboardEntry[] {
  const top = [...finished].sort((a, b) => (b.cvScore - a.cvScore) * sign).slice(0, 8);
  const covered = new Set(top.map((e) => e.family));
  return [...top, ...bestOfFamilies(finished, sign, true).filter((e) => !covered.has(e.family))];
}

/** The best full-fidelity entry of each family (or of any fidelity), best first. */
function bestOfFamilies(board: LeaderboardEntry[], sign: number, anyFidelity = false): LeaderboardEntry[] {
  const byFamily = new Map<string, LeaderboardEntry>();
  for (const e of board) {
    if (e.status !== 'ok' || (!anyFidelity && e.fidelity < 1) || e.family === 'ensemble') continue;
    const b = byFamily.get(e.family);
    if (!b || (e.cvScore - b.cvScore) * sign > 0) byFamily.set(e.family, e);
  }
  return [...byFamily.values()].sort((a, b) => (b.cvScore - a.cvScore) * sign);
}

/**
 * Occam's blend (see simpleShare): the chosen members with the linear trial mixed in, or null when
 * no share of it passes (or the chosen predictions are that trial alone, or an OOF is missing).
 */
function occamBlend(
  members: { id: number; weight: number }[],
  simple: LeaderboardEntry,
  oofOf: (id: number) => Float64Array | null,
  y: Float64Array,
  project: ResolvedProject,
  deadline: number | undefined,
): { members: { id: number; weight: number }[]; cvScore: number; note: string } | null {
  if (members.length === 1 && members[0].id === simple.id) return null;
  const parts = members.map((m) => ({ weight: m.weight, pred: oofOf(m.id) }));
  const simpleOof = oofOf(simple.id);
  if (!simpleOof || parts.some((p) => !p.pred)) return null;
  const chosen = blendPredictions(parts as { weight: number; pred: Float64Array }[]);
  // Out of time the share found so far stands (a run with --max-trials has no deadline: reproducible).
  const occam = simpleShare(chosen, simpleOof, y, project.task, project.nClasses, project.metric, { seed: project.seed, deadline });
  if (occam.share === 0) return null;
  const mixed = new Map(members.map((m) => [m.id, m.weight * (1 - occam.share)]));
  mixed.set(simple.id, (mixed.get(simple.id) ?? 0) + occam.share);
  const fmt = (v: number) => v.toFixed(4);
  return {
    members: [...mixed]
      .filter(([, weight]) => weight > 0)
      .map(([id, weight]) => ({ id, weight }))
      .sort((a, b) => b.weight - a.weight),
    cvScore: occam.score,
    note: `${Math.round(occam.share * 100)} % of logistic regression #${simple.id} blended in: out of fold ${fmt(occam.score)} against ${fmt(occam.chosenScore)} without it, not significantly worse (95 % paired bootstrap) and simpler, so likelier to hold up on new rows`,
  };
}

/**
 * One-standard-error rule for features: if a trial on the selected features scores within one
 * standard error of the best trial on all features, prefer it (fewer inputs, same quality).
 */
function preferParsimony(best: LeaderboardEntry, board: LeaderboardEntry[], results: Map<number, TrialResult>, sign: number): LeaderboardEntry {
  if (best.featureSet === 'selected' || best.family === 'ensemble') return best;
  const se = Number.isFinite(best.cvStd) ? best.cvStd / Math.sqrt(Math.max(1, results.get(best.id)?.foldScores.length ?? 1)) : 0;
  const alt = board
    .filter((e) => e.status === 'ok' && !e.breaks && e.fidelity >= 1 && e.featureSet === 'selected' && e.family !== 'ensemble')
    .sort((a, b) => (b.cvScore - a.cvScore) * sign)[0];
  if (alt && (best.cvScore - alt.cvScore) * sign <= se) return alt;
  return best;
}

function filterColumns(frame: Frame, names: string[], rows: Int32Array): FilterColumn[] {
  return names.map((name) => {
    const col = frame.columns.find((c) => c.name === name)!;
    const values = new Float64Array(rows.length);
    if (col.storage === 'numeric') for (let i = 0; i < rows.length; i++) values[i] = col.values[rows[i]];
    else for (let i = 0; i < rows.length; i++) values[i] = col.codes[rows[i]] < 0 ? NaN : col.codes[rows[i]];
    return { name, values, categorical: col.storage === 'categorical' };
  });
}

function mergeDropped(project: ResolvedProject, selected: string[], fromSelection: DroppedFeature[]): DroppedFeature[] {
  const out: DroppedFeature[] = [...project.removed];
  const chosen = new Set(selected);
  for (const d of fromSelection) if (!chosen.has(d.name)) out.push(d);
  for (const f of project.features) {
    if (!chosen.has(f) && !out.some((d) => d.name === f)) out.push({ name: f, reason: 'not used by the winning model' });
  }
  return out;
}

