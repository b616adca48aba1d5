/**
 * Runs on the page: starting one (a new experiment, or a resumed or restarted one) in the experiment
 * worker, cancelling it, and keeping its record in IndexedDB as it goes (the leaderboard at most once
 * a second, the results and the winning model at the end). A run holds a Web Lock while it runs, so
 * that after a reload the workspace can tell it was interrupted. Also the winning model of the
 * experiment on screen, which explains its test rows.
 */
import type { Frame } from '../core/data/frame.ts';
import type { ChampionSpec, RunFailureKind } from '../workers/experiment-protocol.ts';
import { mergeRunBackend, type BackendSummary } from './backend-summary.ts';
import { championState } from './champion-state.svelte.ts';
import { datasetState } from './dataset-state.svelte.ts';
import { ExperimentClient } from './experiment-client.ts';
import { failedRecord, finishedRecord } from './run-records.ts';
import type { ExplainedRow, RunSummary } from './run-results.ts';
import { runState } from './run-state.svelte.ts';
import { storage } from './storage.svelte.ts';
import { runLockName, type ExperimentRecord, type SieveStore } from './store.ts';

/** Leaderboard saves during a run are at most this frequent (each is one IndexedDB put). */
const SAVE_INTERVAL_MS = 1000;

export class RunController {
  /** The trial workers' backends before any run (the warm pool). */
  poolBackend = $state.raw<BackendSummary | null>(null);
  /** Reactive (raw: replaced, or mutated only by the periodic save) so that what reads `record` follows it. */
  #record = $state.raw<ExperimentRecord | null>(null);
  /** The winning model of the experiment on screen (FinalModel JSON), for row explanations and the Ship step. */
  #model = $state.raw<{ experimentId: string; blob: Blob } | null>(null);
  #client: ExperimentClient;
  #saveTimer: ReturnType<typeof setTimeout> | null = null;
  #releaseLock: (() => void) | null = null;
  /** Called after a record is saved or a run has ended (the list of experiments may have changed). */
  #onSaved: (record: ExperimentRecord | null) => Promise<void>;

  constructor(allowSoftwareGpu: boolean, onSaved: (record: ExperimentRecord | null) => Promise<void>) {
    this.#onSaved = onSaved;
    this.#client = new ExperimentClient({ allowSoftwareGpu }, (backend) => this.#backendChanged(backend));
    runState.onFlush(() => this.#leaderboardChanged());
  }

  /** The experiment on screen, as saved. */
  get record(): ExperimentRecord | null {
    return this.#record;
  }

  /** The winning model of the experiment on screen (FinalModel JSON), once its run has finished. */
  get winnerModel(): Blob | null {
    const held = this.#model;
    return held && held.experimentId === runState.experimentId ? held.blob : null;
  }

  /** Starts the experiment and trial workers ahead of the first run. */
  warm(): void {
    this.#client.warm();
  }

  /** The hook of the software-GPU tests: loses the trial workers' GPU device. */
  loseGpuDevice(): void {
    this.#client.loseGpuDevice();
  }

  /** Shows a saved experiment, with its results and model when they were saved. */
  async show(store: SieveStore, record: ExperimentRecord): Promise<void> {
    const results = record.hasResults ? await store.getResults(record.id) : undefined;
    this.#record = record;
    this.#model = results ? { experimentId: record.id, blob: results.model } : null;
    runState.show(record, results?.summary ?? null);
  }

  /** Nothing on screen any more (another dataset, or the experiment was deleted). */
  clear(): void {
    runState.clear();
    this.#record = null;
  }

  /** Runs `record` (already marked running) on `frame`. */
  start(record: ExperimentRecord, frame: Frame): void {
    this.#record = record;
    this.#holdLock(record.id);
    runState.begin(record);
    runState.backend = this.poolBackend;
    void this.#saveRecord(record);
    void this.#launch(record, frame);
  }

  cancel(): void {
    if (!runState.active) return;
    runState.status = 'cancelling';
    this.#client.cancel();
  }

  /**
   * Why the winner predicts what it does for test row `testIndex` (0-based in the test split), computed
   * in the experiment worker; after a reload the saved model and the loaded dataset (when it is
   * `datasetId`, the one the experiment ran on) are sent to it.
   */
  explainTestRow(testIndex: number, datasetId: string | null): Promise<ExplainedRow> {
    const summary = runState.summary;
    const record = this.#record;
    const rows = summary?.explainRows;
    if (!summary || !record || !rows)
      return Promise.reject(new Error('These results were saved without the rows needed to explain them; run the search again.'));
    if (!(Number.isInteger(testIndex) && testIndex >= 0 && testIndex < rows.test.length)) {
      return Promise.reject(new RangeError(`Choose a test row between 1 and ${rows.test.length}.`));
    }
    const experimentId = record.id;
    const load = async () => {
      const frame = datasetState.dataset?.frame;
      if (!frame || datasetId !== record.datasetId) throw new Error(`Reopen “${record.fileName}” to explain its rows.`);
      const blob = this.#model?.experimentId === experimentId ? this.#model.blob : null;
      if (!blob) throw new Error('The winning model is not saved in this browser, so its predictions cannot be explained; run the search again.');
      return { frame, model: blob };
    };
    return this.#client.explain(
      { key: `${experimentId}#${record.runs}`, row: rows.test[testIndex], background: rows.background, seed: summary.project.seed },
      load,
    );
  }

  /** Sends the run to the experiment worker, with its champion model when it is compared with one. */
  async #launch(record: ExperimentRecord, frame: Frame): Promise<void> {
    let champion: ChampionSpec | undefined;
    if (record.champion) {
      const modelFile = await championState.modelFile(record.champion.id);
      if (!modelFile) {
        void this.#failed(
          record,
          'project',
          `the champion model it was compared with (${record.champion.name}) is no longer saved in this browser; load its bundle again and start a new search.`,
        );
        return;
      }
      champion = { name: record.champion.name, modelFile };
    }
    if (this.#record !== record) return;
    if (runState.status === 'cancelling') {
      // Cancelled while the champion was read: nothing was started.
      void this.#failed(record, 'cancelled', '');
      return;
    }
    const runId = `${record.id}#${record.runs}`;
    this.#client.start(
      runId,
      frame,
      record.definition,
      record.runStartedAt,
      {
        onEvent: (event) => runState.enqueue(event),
        onFinished: (summary, model) => void this.#finished(record, summary, model),
        onFailed: (kind, message) => void this.#failed(record, kind, message),
      },
      champion,
    );
  }

  async #finished(record: ExperimentRecord, summary: RunSummary, model: Blob): Promise<void> {
    this.#model = { experimentId: record.id, blob: model };
    runState.finish(summary);
    const updated = finishedRecord(record, summary, runState, Date.now());
    this.#settle(updated);
    const store = storage.store;
    if (store) {
      try {
        await store.saveResults({ experimentId: record.id, summary, model, savedAt: Date.now() });
        updated.hasResults = true;
      } catch (err) {
        storage.failed(err, 'the results and the winning model');
      }
    }
    await this.#ended(updated);
  }

  async #failed(record: ExperimentRecord, kind: RunFailureKind, message: string): Promise<void> {
    if (kind === 'cancelled') runState.fail('cancelled', 'Cancelled before any trial finished: there is no model to test.');
    else if (kind === 'project') runState.fail('failed', `The goal cannot be run: ${message}`);
    else runState.fail('failed', `The search failed: ${message}`);
    const updated = failedRecord(record, runState.status === 'cancelled', runState, Date.now());
    this.#settle(updated);
    await this.#ended(updated);
  }

  async #ended(record: ExperimentRecord): Promise<void> {
    await this.#saveRecord(record);
    this.#releaseRunLock();
    await this.#onSaved(null).catch(() => undefined);
  }

  /** The run ended: no more periodic saves of it. */
  #settle(record: ExperimentRecord): void {
    if (this.#saveTimer) clearTimeout(this.#saveTimer);
    this.#saveTimer = null;
    if (this.#record?.id === record.id) this.#record = record;
  }

  #leaderboardChanged(): void {
    const record = this.#record;
    if (!record || !runState.active || runState.experimentId !== record.id || this.#saveTimer) return;
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = null;
      if (this.#record !== record || !runState.active) return;
      record.leaderboard = runState.entries;
      record.project = runState.project ?? undefined;
      record.backend = runState.backend ?? undefined;
      record.updatedAt = Date.now();
      void this.#saveRecord(record);
    }, SAVE_INTERVAL_MS);
  }

  async #saveRecord(record: ExperimentRecord): Promise<void> {
    const store = storage.store;
    if (!store) return;
    try {
      await store.saveExperiment($state.snapshot(record) as ExperimentRecord);
    } catch (err) {
      storage.failed(err, 'the experiment');
      return;
    }
    await this.#onSaved(record).catch(() => undefined);
  }

  #backendChanged(backend: BackendSummary): void {
    this.poolBackend = backend;
    if (runState.active) runState.backend = mergeRunBackend(runState.backend, backend);
  }

  #holdLock(id: string): void {
    this.#releaseRunLock();
    if (!('locks' in navigator)) return;
    void navigator.locks.request(runLockName(id), () => new Promise<void>((resolve) => (this.#releaseLock = resolve)));
  }

  #releaseRunLock(): void {
    this.#releaseLock?.();
    this.#releaseLock = null;
  }
}
