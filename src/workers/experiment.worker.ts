/**
 * The experiment worker: drives the engine's `runExperiment` with a pool of trial workers, forwards its
 * events to the page, and at the end sends the Compare step's summary and the winning model.
 * The page's main thread only draws; nothing here can block it.
 *
 * Its own tfjs backend (used by the final refit and the test predictions of a tensor-family winner) is
 * WASM, never WebGPU: the refit happens once, and a GPU device lost at that moment would lose the run.
 */
import { runExperiment } from '../core/automl/experiment.ts';
import { ProjectError } from '../core/automl/project.ts';
import type { ExperimentEvent } from '../core/automl/types.ts';
import { startBackend, type ComputeBackend } from './backend.ts';
import type { BackendReport } from './backend-report.ts';
import type { ExperimentRequest, ExperimentResponse, RunFailureKind, WarmOptions } from './experiment-protocol.ts';
import { summarizeRun } from './run-summary.ts';
import { WebTrialPool } from './trial-pool.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

let options: WarmOptions | null = null;
let pool: WebTrialPool | null = null;
let refit: Promise<ComputeBackend> | null = null;
let workerReports: BackendReport[] = [];
let refitReport: BackendReport | null = null;
let current: { runId: string; controller: AbortController } | null = null;

function post(message: ExperimentResponse): void {
  scope.postMessage(message);
}

function postBackend(): void {
  post({ type: 'backend', backend: { workers: workerReports, refit: refitReport } });
}

/** A fresh pool of trial workers, started now so the next run does not wait for them. */
function warmPool(): WebTrialPool {
  const opts = options ?? { slots: 1, allowSoftwareGpu: false };
  const fresh = new WebTrialPool(opts.slots, { gpu: true, allowSoftwareGpu: opts.allowSoftwareGpu }, (reports) => {
    if (pool !== fresh) return;
    workerReports = reports;
    postBackend();
  });
  fresh.warm();
  return fresh;
}

function startRefitBackend(): Promise<ComputeBackend> {
  // workers: 1 — the refit runs after the trial workers are done, so its WASM threads may use every core.
  return startBackend({ workers: 1, gpu: false, allowSoftwareGpu: false }).then((compute) => {
    refitReport = compute.report;
    postBackend();
    return compute;
  });
}

async function start(message: Extract<ExperimentRequest, { type: 'start' }>): Promise<void> {
  const { runId, frame, def } = message;
  if (current) {
    post({ type: 'failed', runId, kind: 'internal', message: 'A run is already in progress; cancel it first.' });
    return;
  }
  const controller = new AbortController();
  current = { runId, controller };
  pool ??= warmPool();
  refit ??= startRefitBackend();
  const runner = pool;
  try {
    await refit;
    const onEvent = (event: ExperimentEvent) => post({ type: 'event', runId, event });
    const result = await runExperiment(frame, def, { runner, onEvent, signal: controller.signal });
    const summary = await summarizeRun(frame, result);
    const model = new Blob([JSON.stringify(result.model.toJSON())], { type: 'application/json' });
    result.model.dispose();
    post({ type: 'finished', runId, summary, model });
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
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
    case 'cancel':
      if (current?.runId === message.runId) current.controller.abort();
      return;
    case 'lose-device':
      pool?.loseDevices();
      return;
  }
};
