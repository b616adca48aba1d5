/**
 * `sieve run <file.csv> --target <col> [--task T] [--metric M] [--budget S] [--max-trials N]
 *  [--search grid|random|tpe] [--seed N] [--exclude a,b] [--out DIR] [--workers N] --json`
 *
 * [--baseline-column C | --champion bundle.zip] [--success-threshold X] [--coverage 0.9] [--explain]
 *
 * Runs the AutoML experiment in a pool of worker threads and prints one JSON object on the last line.
 * With --out DIR it also writes DIR/leaderboard.json and DIR/bundle.zip (the exported model: see
 * src/core/export/bundle.ts), whose example.csv holds synthetic rows unless --real-examples asks for
 * the first rows of the file. --champion compares the winner with a previously exported bundle.
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { assess, type Assessment } from '../core/automl/assess.ts';
import { runExperiment, type ExperimentResult } from '../core/automl/experiment.ts';
import { explainRow } from '../core/automl/explain-row.ts';
import { ProjectError, resolveProject } from '../core/automl/project.ts';
import type { ExperimentEvent, ProjectDefinition } from '../core/automl/types.ts';
import type { Frame } from '../core/data/frame.ts';
import { isMetricName, METRICS, type MetricName } from '../core/eval/metrics.ts';
import { FAMILY_NAMES, type FamilyName, type Task } from '../core/models/types.ts';
import type { SearchStrategy } from '../core/search/samplers.ts';
import { buildBundle } from '../core/export/bundle.ts';
import { conformalSummary } from '../core/eval/conformal-report.ts';
import { championFromModel, championName, checkChampion } from '../core/export/champion.ts';
import { bundleInputFromExperiment } from '../core/export/from-experiment.ts';
import type { SieveModel } from '../core/export/runtime/model.ts';
import { appVersion, fileSha256, readBundleFile } from '../node/bundle-io.ts';
import { predictRuntimeSource } from '../node/predict-runtime.ts';
import { maxRowsOption, readPlanned, sampledFrom, type PlannedRead } from './read-planned.ts';
import { initTfNode } from '../node/tf-node.ts';
import { NodeWorkerPool } from '../node/worker-pool.ts';
import { quoteName } from '../core/export/runtime/message-text.ts';
import { CliError, listOption, numberOption, parseArgs, printResult, stringOption } from './args.ts';
import { DECISION_FLAGS, DECISION_OPTIONS, DECISION_USAGE, decisionFromArgs } from './decision-args.ts';
import { decisionSummary } from '../core/automl/decision-summary.ts';
import { constraintsSummary } from '../core/automl/constraints-summary.ts';
import { deflateSync } from 'fflate';
import { SERVE_MJS } from '../core/export/serve-template.ts';
import { errorMessage } from '../core/util/error-message.ts';

const TASKS: Task[] = ['binary', 'multiclass', 'regression'];
const SEARCHES: SearchStrategy[] = ['grid', 'random', 'tpe'];
const COMMAND = {
  usage:
    'usage: sieve run <file.csv> --target <column> [--budget seconds] [--max-trials N] [--task T] [--metric M] [--search grid|random|tpe] ' +
    '[--families a,b] [--seed N] [--exclude a,b] [--test-size F | --test-rows rows.json] [--baseline-column C | --champion bundle.zip] ' +
    '[--success-threshold T] [--coverage 0.9] [--explain] [--explain-row N] [--out DIR [--real-examples]] [--workers N] [--max-rows N] ' +
    DECISION_USAGE +
    ' [--json]',
  options: [
    'target',
    'task',
    'metric',
    'search',
    'families',
    'budget',
    'max-trials',
    'seed',
    'exclude',
    'baseline-column',
    'success-threshold',
    'coverage',
    'test-size',
    'test-rows',
    'out',
    'workers',
    'explain-row',
    'champion',
    'max-rows',
    ...DECISION_OPTIONS,
  ],
  // 'real-examples' belongs to the bundle written with --out.
  flags: ['json', 'explain', 'quiet', 'real-examples', ...DECISION_FLAGS],
};

export function projectFromArgs(argv: string[]): {
  file: string;
  def: ProjectDefinition;
  out?: string;
  json: boolean;
  workers?: number;
  explain: boolean;
  explainRowNumber?: number;
  champion?: string;
  realExamples: boolean;
  maxRows?: number;
} {
  const args = parseArgs(argv, COMMAND);
  const file = args.positionals[0];
  if (!file) throw new CliError(COMMAND.usage);
  const target = stringOption(args, 'target');
  if (!target) throw new CliError('missing --target <column>: which column should be predicted?');
  const task = stringOption(args, 'task');
  if (task !== undefined && !TASKS.includes(task as Task)) throw new CliError(`--task must be one of ${TASKS.join(', ')}, got ${quoteName(task)}`);
  const metric = stringOption(args, 'metric');
  if (metric !== undefined && !isMetricName(metric)) {
    throw new CliError(`--metric must be one of ${Object.keys(METRICS).join(', ')}; got ${quoteName(metric)}`);
  }
  const search = stringOption(args, 'search');
  if (search !== undefined && !SEARCHES.includes(search as SearchStrategy))
    throw new CliError(`--search must be one of ${SEARCHES.join(', ')}, got ${quoteName(search)}`);
  const families = listOption(args, 'families');
  for (const f of families)
    if (!FAMILY_NAMES.includes(f as FamilyName)) throw new CliError(`unknown family ${quoteName(f)}; families: ${FAMILY_NAMES.join(', ')}`);
  const budget = numberOption(args, 'budget');
  const maxTrials = numberOption(args, 'max-trials');
  const def: ProjectDefinition = {
    target,
    task: task as Task | undefined,
    metric: metric as MetricName | undefined,
    budgetSeconds: budget,
    maxTrials,
    search: search as SearchStrategy | undefined,
    seed: numberOption(args, 'seed', 0),
    exclude: listOption(args, 'exclude'),
    baselineColumn: stringOption(args, 'baseline-column'),
    successThreshold: numberOption(args, 'success-threshold'),
    testSize: numberOption(args, 'test-size'),
    coverage: numberOption(args, 'coverage'),
    testRows: testRowsOption(stringOption(args, 'test-rows')),
    families: families.length ? (families as FamilyName[]) : undefined,
    ...decisionFromArgs(args),
  };
  return {
    file,
    def,
    out: stringOption(args, 'out'),
    maxRows: maxRowsOption(args),
    json: args.options.has('json'),
    workers: numberOption(args, 'workers'),
    explain: args.options.has('explain'),
    explainRowNumber: numberOption(args, 'explain-row'),
    champion: stringOption(args, 'champion'),
    realExamples: args.options.has('real-examples'),
  };
}

/** `--test-rows FILE`: a JSON array of 0-based data rows to hold out as the test split. */
function testRowsOption(file: string | undefined): number[] | undefined {
  if (!file) return undefined;
  let rows: unknown;
  try {
    rows = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CliError(`--test-rows: cannot read ${file} as JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(rows) || !rows.every((r) => Number.isInteger(r) && r >= 0)) {
    throw new CliError('--test-rows must name a JSON file holding an array of 0-based row numbers');
  }
  return rows as number[];
}

type RunArgs = ReturnType<typeof projectFromArgs>;
type Champion = Awaited<ReturnType<typeof loadChampion>>;

export async function main(argv: string[]): Promise<void> {
  const args = projectFromArgs(argv);
  const { file, def, out, json } = args;
  // A sample of a classification table keeps each class's share of the file (a regression target is
  // continuous: uniform). The task is not known before reading unless --task says it.
  const ingest = await readPlanned(file, args.maxRows, def.task === 'regression' ? {} : { stratifyBy: def.target });
  // The budget is what the user waits for: from the end of reading the CSV to the JSON line.
  const startedAt = Date.now();
  const { frame } = ingest;
  // A champion bundle is checked before the search, so a wrong file costs no search time.
  const champion = args.champion ? await loadChampion(args.champion, frame, def) : undefined;
  // The final refit, the test predictions and the explanations of a tensor-family winner run on this
  // thread: without this they would fall to tfjs' pure-JS cpu backend (an MLP refit 25× slower).
  const tfInit = await initTfNode('wasm');
  const pool = new NodeWorkerPool(args.workers);
  const log = progressLog(json, startedAt);
  const result = await search(frame, def, pool, log, startedAt, out !== undefined);
  log({ type: 'phase', phase: 'assess', message: 'comparing with the existing process' + (args.explain ? ' and explaining the winner' : '') });
  const assessment = await assessWinner(frame, result, args.explain, champion);
  const summary = await resultSummary(frame, result, assessment, ingest.sample, args.explainRowNumber);
  const backend = `Node.js ${process.version}, ${pool.slots} worker threads (tfjs: ${tfInit.backend} on the main thread, wasm with cpu fallback in the workers)`;
  // A size limit is checked on the real bundle: built here even without --out.
  const bundleZip = out || result.constraints?.maxBundleKb !== undefined ? await buildRunBundle(args, ingest, result, assessment, backend) : undefined;
  if (bundleZip && result.constraints) Object.assign(summary, constraintsSummary(result, bundleZip.length / 1024));
  if (out) Object.assign(summary, { bundle: await writeOutputs(out, result, bundleZip!) });
  // Everything the user waited for, writing the bundle included.
  summary.elapsedSeconds = Number(((Date.now() - startedAt) / 1000).toFixed(3));
  const { project, winner } = result;
  const human = json
    ? undefined
    : `winner: ${winner.name} (CV ${project.metric} ${winner.cvScore.toFixed(4)}), test ${JSON.stringify(result.test)}, ${result.trials} trials in ${summary.elapsedSeconds.toFixed(1)} s`;
  printResult(summary, json, human);
}

/** The progress lines on stderr (none with --json), stamped with the seconds since reading ended. */
function progressLog(json: boolean, startedAt: number): (e: ExperimentEvent) => void {
  const stamp = () => `${((Date.now() - startedAt) / 1000).toFixed(1).padStart(6)}s`;
  return (e) => {
    if (json) return;
    if (e.type === 'phase') process.stderr.write(`${stamp()} [${e.phase}] ${e.message}\n`);
    if (e.type === 'trial-finished') {
      const t = e.entry;
      process.stderr.write(
        `${stamp()}   ${t.name} ${t.status} ${t.cvScore.toFixed(4)} (${t.seconds.toFixed(1)} s, ${t.features.length} features, rows ${(t.fidelity * 100).toFixed(0)} %)${t.error ? ` ${t.error}` : ''}\n`,
      );
    }
  };
}

/** The experiment on the pool's worker threads (closed when it ends); Ctrl-C stops it with what it has. */
async function search(
  frame: Frame,
  def: ProjectDefinition,
  pool: NodeWorkerPool,
  log: (e: ExperimentEvent) => void,
  startedAt: number,
  writesBundle: boolean,
): Promise<ExperimentResult> {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  try {
    return await runExperiment(frame, def, {
      runner: pool,
      onEvent: log,
      signal: controller.signal,
      startedAt,
      reserveAfterSeconds: afterSearchSeconds(def.budgetSeconds, frame.rows, writesBundle),
      bundleBaseKb: def.constraints?.maxBundleKb !== undefined ? await bundleBaseKb() : undefined,
    });
  } catch (err) {
    if (err instanceof ProjectError) throw new CliError(err.message);
    throw err;
  } finally {
    await pool.close();
  }
}

/** The A/B comparison with the existing process (a column or the champion), the success check, and with --explain the explanations. */
function assessWinner(frame: Frame, result: ExperimentResult, explain: boolean, champion: Champion | undefined): Promise<Assessment> {
  const { project } = result;
  return assess({
    frame,
    project,
    model: result.model,
    y: result.y,
    searchRows: result.searchRows,
    testRows: result.testRows,
    testPrediction: result.testPrediction,
    explain,
    champion: champion ? championFromModel(champion.model, project, champion.name) : undefined,
  });
}

/** The JSON line: the winner, its test scores, the comparison and what the run found. */
async function resultSummary(
  frame: Frame,
  result: ExperimentResult,
  assessment: Assessment,
  sample: PlannedRead['sample'],
  explainRowNumber: number | undefined,
) {
  const { project, winner } = result;
  const { ab } = assessment;
  return {
    task: project.task,
    metric: project.metric,
    winner: {
      name: winner.name,
      family: winner.family,
      params: winner.params,
      features: result.selectedFeatures,
      cvScore: winner.cvScore,
      members: winner.members,
    },
    test: result.test,
    trials: result.trials,
    elapsedSeconds: Number(result.elapsedSeconds.toFixed(3)),
    selectedFeatures: result.selectedFeatures,
    droppedFeatures: result.droppedFeatures,
    folds: result.folds,
    validation: result.validation,
    refitRows: result.refitRows,
    searchRows: result.searchRows.length,
    testRows: result.testRows.length,
    cancelled: result.cancelled,
    // Intervals (regression) or sets (classification), calibrated out of fold; `achieved` on the test split.
    ...(result.conformal ? { conformal: conformalSummary(result.conformal), conformalSlices: result.conformal.slices } : {}),
    ...sampledFrom(sample),
    ab: {
      baseline: ab.baseline,
      metric: ab.metric,
      model: ab.model,
      baselineValue: ab.baselineValue,
      diff: ab.diff,
      ci: ab.ci,
      test: ab.test,
      pValue: ab.pValue,
      verdict: ab.verdict,
      message: ab.message,
      liveTestRowsPerArm: assessment.livePlan?.perArm ?? null,
    },
    ...(assessment.costs ? { costComparison: assessment.costs } : {}),
    ...(assessment.success
      ? {
          success: {
            metric: assessment.success.metric,
            threshold: assessment.success.threshold,
            value: assessment.success.value,
            ci: assessment.success.ci,
            met: assessment.success.met,
            message: assessment.success.message,
          },
        }
      : {}),
    ...decisionSummary(result),
    ...constraintsSummary(result),
    ...(assessment.importance ? { importance: assessment.importance, partialDependence: assessment.partialDependence } : {}),
    ...(explainRowNumber !== undefined ? { explanation: await explainRow(result.model, frame, explainRowNumber - 1, result.searchRows, project.seed) } : {}),
  };
}

/** The exported model: bundle.zip's bytes (model, card, runtime, examples). */
async function buildRunBundle(args: RunArgs, ingest: PlannedRead, result: ExperimentResult, assessment: Assessment, backend: string): Promise<Uint8Array> {
  const { sha256, bytes } = await fileSha256(args.file);
  return buildBundle(
    bundleInputFromExperiment(result, assessment, {
      frame: ingest.frame,
      profile: ingest.profile,
      dataset: { name: path.basename(args.file), sha256, bytes, sample: ingest.sample },
      predictRuntime: await predictRuntimeSource(),
      appVersion: appVersion(),
      backend,
      realExamples: args.realExamples,
    }),
  );
}

/** --out DIR: writes leaderboard.json and bundle.zip there; returns the bundle's path. */
async function writeOutputs(out: string, result: ExperimentResult, bundleZip: Uint8Array): Promise<string> {
  await mkdir(out, { recursive: true });
  const board = result.leaderboard.map((e) => ({
    id: e.id,
    name: e.name,
    family: e.family,
    params: e.params,
    features: e.features,
    cvScore: e.cvScore,
    cvStd: e.cvStd,
    seconds: e.seconds,
    fidelity: e.fidelity,
    origin: e.origin,
    status: e.status,
    members: e.members,
    note: e.note,
    error: e.error,
    ...(e.deployment ? { deployment: e.deployment } : {}),
    ...(e.breaks ? { breaks: e.breaks } : {}),
  }));
  await writeFile(path.join(out, 'leaderboard.json'), JSON.stringify({ metric: result.project.metric, task: result.project.task, trials: board }, null, 2));
  const bundlePath = path.join(out, 'bundle.zip');
  await writeFile(bundlePath, bundleZip);
  return bundlePath;
}

/**
 * Seconds kept back from the search for what follows it here: the A/B comparison and its bootstrap
 * on the test split, and with --out the bundle (model card, synthetic examples, zip). Grows with the
 * table, at most a tenth of the budget.
 */
function afterSearchSeconds(budget: number | undefined, rows: number, writesBundle: boolean): number {
  if (budget === undefined) return 0;
  // Measured: 3.6 s after a 1M-row search (bootstrap of a 200,000-row test split, the rule baseline).
  const seconds = 0.3 + rows / 250_000 + (writesBundle ? 0.5 + rows / 1_000_000 : 0);
  return Math.min(0.1 * budget, seconds);
}

/** Reads a champion bundle and checks it predicts this project's target from columns this file has. */
async function loadChampion(file: string, frame: Frame, def: ProjectDefinition): Promise<{ model: SieveModel; name: string }> {
  try {
    const { bundle, model } = await readBundleFile(file);
    const { project } = resolveProject(frame, def);
    checkChampion(model, project, frame);
    return { model, name: championName(path.basename(file), bundle.manifest.created) };
  } catch (err) {
    throw new CliError(`--champion ${file}: ${errorMessage(err)}`);
  }
}

/**
 * KB a bundle holds besides its model files: predict.mjs and serve.mjs as the zip stores them
 * (deflated), plus 24 KB for the card, schema, examples and typings (a titanic bundle: 21 KB).
 */
async function bundleBaseKb(): Promise<number> {
  const enc = new TextEncoder();
  const deflated = (text: string) => deflateSync(enc.encode(text), { level: 6 }).length;
  return (deflated(await predictRuntimeSource()) + deflated(SERVE_MJS)) / 1024 + 24;
}
