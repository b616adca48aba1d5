/**
 * The experiment worker: drives the engine's `runExperiment` with a pool of trial workers, forwards its
 * events to the page, and at the end compares the winner with the existing process, explains it, and
 * sends the Compare step's summary and the winning model. It then keeps the model (and the frame) to
 * explain single rows on request; after a reload the page sends both back (see experiment-protocol.ts).
 * The page's main thread only draws; nothing here can block it.
 *
 * Its own tfjs backend (used by the final refit and the test predictions of a tensor-family winner) is
 * WASM, never WebGPU: the refit happens once, and a GPU device lost at that moment would lose the run.
 */
import { runExperiment } from '../core/automl/experiment.ts';
import { FinalModel, type FinalModelJSON } from '../core/automl/model.ts';
import { ProjectError } from '../core/automl/project.ts';
import type { ExperimentEvent } from '../core/automl/types.ts';
import type { Frame } from '../core/data/frame.ts';
import { championFromModel } from '../core/export/champion.ts';
import { loadModelSync } from '../core/export/runtime/load.ts';
import type { SieveModel } from '../core/export/runtime/model.ts';
import { errorMessage } from '../core/util/error-message.ts';
import { startBackend, type ComputeBackend } from './backend.ts';
import type { BackendReport } from '../app/backend-summary.ts';
import type { ExperimentRequest, ExperimentResponse, RunFailureKind, WarmOptions } from './experiment-protocol.ts';
import { explainFrameRow } from './row-explanation.ts';
import { assessRun, pageAfterSearchSeconds } from './run-assessment.ts';
import { summarizeRun, type AssessedRun } from './run-summary.ts';
import { defaultSlots, WebTrialPool } from './trial-pool.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

let options: WarmOptions | null = null;
let pool: WebTrialPool | null = null;
let refit: Promise<ComputeBackend> | null = null;
let workerReports: BackendReport[] = [];
let refitReport: BackendReport | null = null;
let current: { runId: string; controller: AbortController } | null = null;
/** The last model made or loaded, with the frame it explains rows of; `key` is the runId that made it. */
let held: { key: string; frame: Frame; model: FinalModel } | null = null;
/** Row explanations run one at a time (they share the model and the tfjs backend). */
let explaining: Promise<void> = Promise.resolve();

function post(message: ExperimentResponse): void {
  scope.postMessage(message);
}

function postBackend(): void {
  post({ type: 'backend', backend: { workers: workerReports, refit: refitReport } });
}

/** A fresh pool of trial workers, started now so the next run does not wait for them. */
function warmPool(): WebTrialPool {
  const fresh = new WebTrialPool(defaultSlots(), { gpu: true, allowSoftwareGpu: options?.allowSoftwareGpu ?? false }, (reports) => {
    if (pool !== fresh) return;
    workerReports = reports;
    postBackend();
  });
  fresh.warm();
  return fresh;
}

function startRefitBackend(): Promise<ComputeBackend> {
  // Single-threaded WASM (workers = cores gives one thread each): the threaded build starts a pool of
  // eight pthread workers (~17 MB each, measured with measureUserAgentSpecificMemory) that would idle
  // through the whole search for the one refit of a tensor-family winner, and on a 1M-row table that
  // pool alone kept the tab over its 2 GB.
  return startBackend({ workers: Math.max(1, navigator.hardwareConcurrency || 1), gpu: false, allowSoftwareGpu: false }).then((compute) => {
    refitReport = compute.report;
    postBackend();
    return compute;
  });
}

async function start(message: Extract<ExperimentRequest, { type: 'start' }>): Promise<void> {
  const { runId, frame, def, startedAt } = message;
  if (current) {
    post({ type: 'failed', runId, kind: 'internal', message: 'A run is already in progress; cancel it first.' });
    return;
  }
  // The champion is loaded before the search, so a model that cannot be read costs no search time.
  let championModel: SieveModel | null = null;
  if (message.champion) {
    try {
      championModel = loadModelSync(message.champion.modelFile, { verify: false });
    } catch (err) {
      post({ type: 'failed', runId, kind: 'project', message: `the champion model cannot be loaded: ${errorMessage(err)}` });
      return;
    }
  }
  const controller = new AbortController();
  current = { runId, controller };
  // A new run replaces the model on screen: free the old one's tensors.
  release();
  pool ??= warmPool();
  refit ??= startRefitBackend();
  const runner = pool;
  try {
    await refit;
    const onEvent = (event: ExperimentEvent) => post({ type: 'event', runId, event });
    const budgetSeconds = def.budgetSeconds;
    const result = await runExperiment(frame, def, {
      runner,
      onEvent,
      signal: controller.signal,
      startedAt,
      reserveAfterSeconds: budgetSeconds === undefined ? 0 : pageAfterSearchSeconds(budgetSeconds, frame.rows),
    });
    // Held from here on, so it is freed by the next run even if what follows fails.
    held = { key: runId, frame, model: result.model };
    onEvent({ type: 'phase', phase: 'assess', message: 'comparing with the existing process and explaining the winner' });
    let assessed: AssessedRun;
    try {
      const champion = championModel && message.champion ? championFromModel(championModel, result.project, message.champion.name) : undefined;
      // Explanations get what is left of the budget (they are cut down, then skipped, to fit it).
      const deadline = budgetSeconds === undefined ? undefined : startedAt + budgetSeconds * 1000;
      assessed = await assessRun(frame, result, { champion, deadline });
    } catch (err) {
      // A bad existing-process column must not cost the user the model: the results come without it.
      assessed = { note: `The comparison with the existing process failed: ${errorMessage(err)}` };
    }
    const summary = await summarizeRun(frame, result, assessed);
    // What the user waited for: from Start to the results, the comparison and explanations included.
    summary.elapsedSeconds = (Date.now() - startedAt) / 1000;
    const model = new Blob([JSON.stringify(result.model.toJSON())], { type: 'application/json' });
    post({ type: 'finished', runId, summary, model });
  } catch (err) {
    const text = errorMessage(err);
    let kind: RunFailureKind = 'internal';
    if (err instanceof ProjectError) kind = 'project';
    else if (controller.signal.aborted) kind = 'cancelled';
    post({ type: 'failed', runId, kind, message: text });
  } finally {
    current = null;
    // The used pool holds this run's data; a fresh one (no data) takes its place for the next run.
    await runner.close();
    if (pool === runner) pool = warmPool();
  }
}

function release(): void {
  held?.model.dispose();
  held = null;
}

async function explain(message: Extract<ExperimentRequest, { type: 'explain' }>): Promise<void> {
  const { requestId } = message;
  const fail = (text: string, needsModel = false) => post({ type: 'explain-failed', requestId, needsModel, message: text });
  if (current) {
    fail('A search is running; rows can be explained when it has finished.');
    return;
  }
  try {
    if (held?.key !== message.key) {
      if (!message.load) {
        fail('The model is not loaded in the worker.', true);
        return;
      }
      const json = JSON.parse(await message.load.model.text()) as FinalModelJSON;
      // Tensor families (linear, MLP) predict through tfjs: its backend must be up first.
      await (refit ??= startRefitBackend());
      const model = FinalModel.fromJSON(json);
      release();
      held = { key: message.key, frame: message.load.frame, model };
    }
    const { frame, model } = held!;
    post({ type: 'explained', requestId, explanation: await explainFrameRow(model, frame, message.row, message.background, message.seed) });
  } catch (err) {
    fail(errorMessage(err));
  }
}

scope.onmessage = (event: MessageEvent<ExperimentRequest>) => {
  const message = event.data;
  switch (message.type) {
    case 'warm':
      options = message.options;
      pool ??= warmPool();
      refit ??= startRefitBackend();
      return;
    case 'start':
      void start(message);
      return;
    case 'explain':
      explaining = explaining.then(() => explain(message));
      return;
    case 'cancel':
      if (current?.runId === message.runId) current.controller.abort();
      return;
    case 'lose-device':
      pool?.loseDevices();
      return;
  }
};
