/**
 * The page's conductor: which step is shown, which dataset and experiment are open, starting and
 * cancelling runs (through the experiment worker), and keeping all of it in IndexedDB so a reload
 * comes back to the same place. A run in progress holds a Web Lock; a reload finds the lock released
 * and marks that run interrupted, keeping its finished trials, to be resumed or restarted.
 */
import type { ProjectDefinition, ResolvedProject } from '../core/automl/types.ts';
import type { Frame } from '../core/data/frame.ts';
import { loadModelSync } from '../core/export/runtime/load.ts';
import type { SieveModel } from '../core/export/runtime/model.ts';
import type { BundleModelFile } from '../core/export/runtime/types.ts';
import { errorMessage } from '../core/util/error-message.ts';
import type { BackendSummary } from './backend-summary.ts';
import type { ChampionSpec, RunFailureKind } from '../workers/experiment-protocol.ts';
import type { ExplainedRow } from './run-results.ts';
import type { RunSummary } from './run-results.ts';
import { datasetState, type LoadedDataset } from './dataset-state.svelte.ts';
import { ExperimentClient } from './experiment-client.ts';
import { checkGoal } from './goal-check.ts';
import { goalState } from './goal-state.svelte.ts';
import { runState } from './run-state.svelte.ts';
import type { StepId } from './steps.ts';
import type { LoadedBundle } from './bundle-export.ts';
import { heldRunLocks, newId, runLockName, SieveStore, toStorageFailure, type ExperimentRecord, type SessionRecord, type StoredChampion } from './store.ts';

/** Leaderboard saves during a run are at most this frequent (each is one IndexedDB put). */
const SAVE_INTERVAL_MS = 1000;
/** Files up to this size are identified by their SHA-256 (loading the same file twice stores it once). */
const HASH_LIMIT_BYTES = 64 * 1024 * 1024;

export type RunMode = 'new' | 'resume' | 'restart';

/** A previously exported model chosen as the existing process to beat (the Goal step offers it). */
export interface Champion {
  /** SHA-256 of its model (from the bundle's integrity record). */
  id: string;
  /** The bundle's file name. */
  fileName: string;
  /** How the A/B comparison names it. */
  name: string;
  modelFile: BundleModelFile;
  /** Loaded on the page to check it against the data on the Goal step. */
  model: SieveModel;
}

/** As the CLI names it (`sieve run --champion`): "the champion model (titanic-sieve-bundle.zip, exported 2025-01-02)". */
function championName(fileName: string, modelFile: BundleModelFile): string {
  return `the champion model (${fileName}, exported ${modelFile.created.slice(0, 10)})`;
}

class Workspace {
  step = $state<StepId>('data');
  experiments = $state.raw<ExperimentRecord[]>([]);
  /** The last storage failure, in a sentence; null when saving works. */
  storageError = $state<string | null>(null);
  /** Restoring the saved session after a reload. */
  restoring = $state(false);
  /** Counts what the user did to move around (steps, opening an experiment, starting a run). */
  #navigations = 0;
  datasetId = $state<string | null>(null);
  /** The trial workers' backends before any run (the warm pool). */
  poolBackend = $state.raw<BackendSummary | null>(null);
  /** A problem opening a saved experiment. */
  openError = $state<string | null>(null);
  /** The champion model offered as the existing process on the Goal step (the last bundle chosen). */
  champion = $state.raw<Champion | null>(null);
  readonly allowSoftwareGpu: boolean;

  #store: SieveStore | null = null;
  #client: ExperimentClient;
  /** Reactive (raw: replaced, or mutated only by the periodic save) so that `runDataset` follows it. */
  #record = $state.raw<ExperimentRecord | null>(null);
  #currentFile: Blob | null = null;
  #saveTimer: ReturnType<typeof setTimeout> | null = null;
  #sessionTimer: ReturnType<typeof setTimeout> | null = null;
  #releaseLock: (() => void) | null = null;
  /** The winning model of the experiment on screen (FinalModel JSON), for row explanations and the Ship step. */
  #model = $state.raw<{ experimentId: string; blob: Blob } | null>(null);
  /** A champion was chosen before any data was loaded: select it in the goal of the next dataset. */
  #championForNextDataset = false;

  constructor() {
    const params = new URLSearchParams(globalThis.location?.search ?? '');
    // ?gpu=software: use a software WebGPU adapter and expose a lost-device hook (tests of the GPU path).
    this.allowSoftwareGpu = params.get('gpu') === 'software';
    const slots = Math.max(1, Math.min(4, globalThis.navigator?.hardwareConcurrency || 1));
    this.#client = new ExperimentClient({ slots, allowSoftwareGpu: this.allowSoftwareGpu }, (backend) => this.#backendChanged(backend));
    try {
      this.#store = new SieveStore();
    } catch (err) {
      this.storageError = toStorageFailure(err, 'anything').message;
    }
    runState.onFlush(() => this.#leaderboardChanged());
    if (this.allowSoftwareGpu) {
      (globalThis as unknown as { sieveDebug: unknown }).sieveDebug = { loseGpuDevice: () => this.#client.loseGpuDevice() };
    }
  }

  /** The experiment on screen, as saved. */
  get record(): ExperimentRecord | null {
    return this.#record;
  }

  /** The loaded dataset when it is the one the experiment on screen ran on (the Ship step's data). */
  get runDataset(): LoadedDataset | null {
    const record = this.#record;
    return record && record.datasetId === this.datasetId ? datasetState.dataset : null;
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

  goTo(step: StepId): void {
    this.#navigations++;
    this.step = step;
    this.saveSessionNow();
  }

  dismissStorageError(): void {
    this.storageError = null;
  }

  /** After a reload: marks orphaned runs interrupted, lists experiments, reopens the last session. */
  async init(): Promise<void> {
    const store = this.#store;
    if (!store) return;
    this.restoring = true;
    try {
      await this.#markInterrupted(store);
      await this.refreshList();
      await this.#restoreChampion(store);
      const session = await store.getSession();
      if (session) await this.#restoreSession(store, session, this.#navigations);
    } catch (err) {
      this.storageError = `Could not read the saved experiments: ${errorMessage(err)}`;
    } finally {
      this.restoring = false;
    }
  }

  async refreshList(): Promise<void> {
    if (this.#store) this.experiments = await this.#store.listExperiments();
  }

  async #markInterrupted(store: SieveStore): Promise<void> {
    const held = await heldRunLocks();
    for (const record of await store.listExperiments()) {
      if (record.status !== 'running' || held.has(runLockName(record.id))) continue;
      const n = record.leaderboard.length;
      await store.saveExperiment({
        ...record,
        status: 'interrupted',
        message: `This search was interrupted: the page was closed or reloaded while it ran. ${n} finished ${n === 1 ? 'trial is' : 'trials are'} kept.`,
      });
    }
  }

  /**
   * Reopens the session saved before the reload — unless the user has moved on meanwhile (opened an
   * experiment, changed step, started a run while the dataset was still being read): then the late
   * restore would pull the page back from under them.
   */
  async #restoreSession(store: SieveStore, session: SessionRecord, navigations: number): Promise<void> {
    const userMoved = () => this.#navigations !== navigations;
    if (userMoved()) return;
    if (session.datasetId && (await this.#openDataset(store, session.datasetId))) {
      if (userMoved()) return;
      const frame = datasetState.dataset!.frame;
      if (session.goal) goalState.load(frame, session.goal);
      if (session.experimentId) {
        const record = await store.getExperiment(session.experimentId);
        if (userMoved()) return;
        if (record && record.datasetId === session.datasetId) await this.#show(store, record);
      }
      if (userMoved()) return;
      const wanted = session.step;
      this.step = (wanted === 'compare' || wanted === 'ship') && !runState.summary ? 'search' : wanted;
    }
  }

  /** Loads a saved dataset through the ingest worker; true when it is now the one in use. */
  async #openDataset(store: SieveStore, id: string): Promise<boolean> {
    const stored = await store.getDataset(id);
    if (!stored) return false;
    const file = new File([stored.file], stored.fileName, { type: 'text/csv' });
    this.#currentFile = file;
    await datasetState.loadFile(file);
    if (datasetState.dataset?.file !== file) return false;
    this.datasetId = id;
    return true;
  }

  async #show(store: SieveStore, record: ExperimentRecord): Promise<void> {
    const results = record.hasResults ? await store.getResults(record.id) : undefined;
    this.#record = record;
    this.#model = results ? { experimentId: record.id, blob: results.model } : null;
    runState.show(record, results?.summary ?? null);
  }

  /**
   * Why the winner predicts what it does for test row `testIndex` (0-based in the test split), computed
   * in the experiment worker; after a reload the saved model and the loaded dataset are sent to it.
   */
  explainTestRow(testIndex: number): Promise<ExplainedRow> {
    const summary = runState.summary;
    const record = this.#record;
    const rows = summary?.explainRows;
    if (!summary || !record || !rows) return Promise.reject(new Error('These results were saved without the rows needed to explain them; run the search again.'));
    if (!(Number.isInteger(testIndex) && testIndex >= 0 && testIndex < rows.test.length)) {
      return Promise.reject(new RangeError(`Choose a test row between 1 and ${rows.test.length}.`));
    }
    const experimentId = record.id;
    const load = async () => {
      const frame = datasetState.dataset?.frame;
      if (!frame || this.datasetId !== record.datasetId) throw new Error(`Reopen “${record.fileName}” to explain its rows.`);
      const blob = this.#model?.experimentId === experimentId ? this.#model.blob : null;
      if (!blob) throw new Error('The winning model is not saved in this browser, so its predictions cannot be explained; run the search again.');
      return { frame, model: blob };
    };
    return this.#client.explain({ key: `${experimentId}#${record.runs}`, row: rows.test[testIndex], background: rows.background, seed: summary.project.seed }, load);
  }

  /**
   * Called whenever the Data step's dataset changes: a new file is saved and gets a fresh goal. The
   * same file again returns the change already under way (retrainOn waits for it).
   */
  datasetChanged(dataset: LoadedDataset | null): Promise<void> {
    if (!dataset || dataset.file === this.#currentFile) return this.#datasetChange;
    this.#currentFile = dataset.file;
    return (this.#datasetChange = this.#changeDataset(dataset));
  }

  #datasetChange: Promise<void> = Promise.resolve();

  /**
   * "Retrain on this file": after the drift check found major drift in a scored file that has the
   * target, the file becomes the dataset, the shipped bundle the champion, and the Goal step opens
   * with the shipped project's settings; the run's A/B comparison decides which model is better.
   */
  async retrainOn(file: File, loaded: LoadedBundle, bundleName: string, project: ResolvedProject): Promise<void> {
    await datasetState.loadFile(file);
    const dataset = datasetState.dataset;
    if (!dataset || dataset.fileName !== file.name || datasetState.error) {
      this.goTo('data');
      return;
    }
    await this.datasetChanged(dataset);
    goalState.loadProject(dataset.frame, project);
    await this.useChampion(loaded, bundleName);
  }

  async #changeDataset(dataset: LoadedDataset): Promise<void> {
    const previous = this.datasetId;
    const id = await datasetIdOf(dataset.file, dataset.fileName);
    if (this.#currentFile !== dataset.file) return; // superseded while hashing
    if (id === previous) return; // the same file loaded again: keep the goal and the experiment
    this.datasetId = id;
    goalState.reset(idLikeColumns(dataset));
    if (this.#championForNextDataset && this.champion) goalState.chooseChampion();
    this.#championForNextDataset = false;
    if (!runState.active) {
      runState.clear();
      this.#record = null;
    }
    this.saveSessionNow();
    const store = this.#store;
    if (!store) return;
    try {
      if (!(await store.hasDataset(id))) {
        await store.saveDataset({ id, fileName: dataset.fileName, fileSize: dataset.fileSize, file: dataset.file, savedAt: Date.now() });
      }
    } catch (err) {
      this.#storageFailed(err, 'the dataset');
    }
    if (previous && previous !== this.#record?.datasetId) await store.deleteDatasetIfUnused(previous).catch(() => undefined);
  }

  /** Starts a run: a new experiment from the Goal form, or another run of the experiment on screen. */
  startRun(mode: RunMode = 'new'): void {
    this.#navigations++;
    const dataset = datasetState.dataset;
    if (!dataset || !this.datasetId || runState.active) return;
    const now = Date.now();
    let record: ExperimentRecord;
    if (mode === 'new') {
      const check = checkGoal(dataset.frame, goalState.values, this.champion?.model ?? null);
      if (!check.definition) return;
      const champion = check.champion && this.champion ? { id: this.champion.id, name: this.champion.name } : undefined;
      record = {
        id: newId(),
        datasetId: this.datasetId,
        fileName: dataset.fileName,
        createdAt: now,
        updatedAt: now,
        definition: check.definition,
        status: 'running',
        runStartedAt: now,
        runs: 1,
        leaderboard: [],
        earlier: [],
        hasResults: false,
        ...(champion ? { champion } : {}),
      };
    } else {
      const previous = this.#record;
      if (!previous || previous.datasetId !== this.datasetId) return;
      record = {
        ...previous,
        status: 'running',
        updatedAt: now,
        runStartedAt: now,
        runs: previous.runs + 1,
        // Resume keeps what the interrupted run finished (shown, marked); restart starts clean.
        earlier: mode === 'resume' ? [...previous.earlier, ...previous.leaderboard] : [],
        leaderboard: [],
        message: undefined,
        hasResults: false,
        best: undefined,
        testScore: undefined,
      };
    }
    this.#record = record;
    this.#holdLock(record.id);
    runState.begin(record);
    runState.backend = this.poolBackend;
    this.step = 'search';
    this.saveSessionNow();
    void this.#saveRecord(record);
    void this.#launch(record, dataset.frame);
  }

  /** Sends the run to the experiment worker, with its champion model when it is compared with one. */
  async #launch(record: ExperimentRecord, frame: Frame): Promise<void> {
    let champion: ChampionSpec | undefined;
    if (record.champion) {
      const modelFile = await this.#championModelFile(record.champion.id);
      if (!modelFile) {
        void this.#failed(record, 'project', `the champion model it was compared with (${record.champion.name}) is no longer saved in this browser; load its bundle again and start a new search.`);
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

  async #championModelFile(id: string): Promise<BundleModelFile | null> {
    if (this.champion?.id === id) return this.champion.modelFile;
    try {
      return (await this.#store?.getChampion(id))?.modelFile ?? null;
    } catch {
      return null;
    }
  }

  /**
   * "Use as the existing process": the bundle's model becomes the champion the Goal step offers (and
   * selects), saved so that it survives a reload. With data loaded, the Goal step opens.
   */
  async useChampion(loaded: LoadedBundle, fileName: string): Promise<void> {
    const modelFile = loaded.bundle.modelFile;
    const id = loaded.bundle.manifest.integrity.model;
    this.champion = { id, fileName, name: championName(fileName, modelFile), modelFile, model: loaded.model };
    goalState.chooseChampion();
    if (datasetState.dataset) this.goTo('goal');
    else this.#championForNextDataset = true;
    const store = this.#store;
    if (!store) return;
    try {
      await store.saveChampion({ id, fileName, modelFile, savedAt: Date.now() });
      await store.deleteUnusedChampions(id);
    } catch (err) {
      this.#storageFailed(err, 'the champion model');
    }
  }

  async #restoreChampion(store: SieveStore): Promise<void> {
    let stored: StoredChampion | undefined;
    try {
      stored = await store.latestChampion();
      if (!stored) return;
      const model = loadModelSync(stored.modelFile, { verify: false });
      this.champion = { id: stored.id, fileName: stored.fileName, name: championName(stored.fileName, stored.modelFile), modelFile: stored.modelFile, model };
    } catch (err) {
      // A saved champion this version cannot read is offered no more; the rest of the session is unaffected.
      this.storageError = `Could not reopen the champion model${stored ? ` “${stored.fileName}”` : ''}: ${errorMessage(err)}. Load its bundle again.`;
    }
  }

  cancelRun(): void {
    if (!runState.active) return;
    runState.status = 'cancelling';
    this.#client.cancel();
  }

  async #finished(record: ExperimentRecord, summary: RunSummary, model: Blob): Promise<void> {
    this.#model = { experimentId: record.id, blob: model };
    runState.finish(summary);
    const metric = summary.project.metric;
    const updated: ExperimentRecord = {
      ...record,
      status: summary.cancelled ? 'cancelled' : 'finished',
      updatedAt: Date.now(),
      leaderboard: runState.entries,
      project: summary.project,
      backend: runState.backend ?? undefined,
      message: runState.message ?? undefined,
      best: { name: summary.winner.name, cvScore: summary.winner.cvScore },
      testScore: summary.test[metric],
      hasResults: false,
    };
    this.#settle(updated);
    const store = this.#store;
    if (store) {
      try {
        await store.saveResults({ experimentId: record.id, summary, model, savedAt: Date.now() });
        updated.hasResults = true;
      } catch (err) {
        this.#storageFailed(err, 'the results and the winning model');
      }
    }
    await this.#saveRecord(updated);
    this.#releaseRunLock();
    await this.refreshList().catch(() => undefined);
  }

  async #failed(record: ExperimentRecord, kind: RunFailureKind, message: string): Promise<void> {
    if (kind === 'cancelled') runState.fail('cancelled', 'Cancelled before any trial finished: there is no model to test.');
    else if (kind === 'project') runState.fail('failed', `The goal cannot be run: ${message}`);
    else runState.fail('failed', `The search failed: ${message}`);
    const updated: ExperimentRecord = {
      ...record,
      status: runState.status === 'cancelled' ? 'cancelled' : 'failed',
      updatedAt: Date.now(),
      leaderboard: runState.entries,
      project: runState.project ?? undefined,
      backend: runState.backend ?? undefined,
      message: runState.message ?? undefined,
    };
    this.#settle(updated);
    await this.#saveRecord(updated);
    this.#releaseRunLock();
    await this.refreshList().catch(() => undefined);
  }

  /** The run ended: no more periodic saves of it. */
  #settle(record: ExperimentRecord): void {
    if (this.#saveTimer) clearTimeout(this.#saveTimer);
    this.#saveTimer = null;
    if (this.#record?.id === record.id) this.#record = record;
  }

  /** Reopens a saved experiment (and its dataset when another one is loaded). */
  async open(id: string): Promise<void> {
    const store = this.#store;
    if (!store || runState.active) return;
    this.#navigations++;
    this.openError = null;
    const record = await store.getExperiment(id);
    if (!record) {
      this.openError = 'This experiment is no longer saved.';
      await this.refreshList();
      return;
    }
    if (record.datasetId !== this.datasetId && !(await this.#openDataset(store, record.datasetId))) {
      this.openError = `Could not reopen “${record.fileName}”: its data is no longer saved in this browser.`;
      return;
    }
    goalState.loadDefinition(datasetState.dataset!.frame, record.definition, record.champion !== undefined && record.champion.id === this.champion?.id);
    await this.#show(store, record);
    this.step = runState.summary ? 'compare' : 'search';
    this.saveSessionNow();
  }

  async remove(id: string): Promise<void> {
    const store = this.#store;
    if (!store || (runState.active && runState.experimentId === id)) return;
    await store.deleteExperiment(id, this.datasetId);
    if (runState.experimentId === id) {
      runState.clear();
      this.#record = null;
      if (this.step === 'compare') this.step = 'search';
      this.saveSessionNow();
    }
    await this.refreshList();
  }

  /** Saves where the user is (step, dataset, experiment, goal draft) a moment after the last change (typing in the form). */
  saveSessionSoon(): void {
    if (this.#sessionTimer) clearTimeout(this.#sessionTimer);
    this.#sessionTimer = setTimeout(() => this.saveSessionNow(), 300);
  }

  /** Saves the session at once (a step change or an experiment opened: a reload right after must find it). */
  saveSessionNow(): void {
    if (this.#sessionTimer) clearTimeout(this.#sessionTimer);
    this.#sessionTimer = null;
    const store = this.#store;
    if (!store || this.restoring) return;
    const session: SessionRecord = {
      datasetId: this.datasetId,
      experimentId: runState.experimentId,
      step: this.step,
      goal: goalState.draft(),
    };
    store.saveSession(session).catch((err: unknown) => this.#storageFailed(err, 'the session'));
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
    const store = this.#store;
    if (!store) return;
    try {
      await store.saveExperiment($state.snapshot(record) as ExperimentRecord);
    } catch (err) {
      this.#storageFailed(err, 'the experiment');
      return;
    }
    if (!this.experiments.some((e) => e.id === record.id)) await this.refreshList().catch(() => undefined);
  }

  #storageFailed(err: unknown, what: string): void {
    this.storageError = toStorageFailure(err, what).message;
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

/**
 * During a run the badge keeps every backend a worker used: a worker replaced after a lost device
 * or a cancel reports again, and a change (WebGPU → WASM) must stay visible with its reason.
 */
function mergeRunBackend(previous: BackendSummary | null, next: BackendSummary): BackendSummary {
  if (!previous) return next;
  const changed = previous.workers.filter((w) => w.changedAt !== undefined);
  const workers = next.workers.map((w) => w);
  for (const c of changed) if (!workers.some((w) => w.changedAt === c.changedAt)) workers.push(c);
  return { workers, refit: next.refit ?? previous.refit };
}

/** Columns the profile flags as ID-like but typed otherwise (the engine drops true identifiers itself). */
export function idLikeColumns(dataset: LoadedDataset): string[] {
  const identifiers = new Set(dataset.profile.columns.filter((c) => c.type === 'identifier').map((c) => c.name));
  const flagged = dataset.profile.warnings.filter((w) => w.kind === 'id-like' && w.column !== undefined && !identifiers.has(w.column));
  return [...new Set(flagged.map((w) => w.column!))];
}

async function datasetIdOf(file: Blob, fileName: string): Promise<string> {
  if (file.size <= HASH_LIMIT_BYTES && globalThis.crypto?.subtle) {
    const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
    return `sha256-${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
  }
  const modified = file instanceof File ? file.lastModified : 0;
  return `file-${fileName}-${file.size}-${modified}`;
}

export const workspace = new Workspace();

export type { ProjectDefinition };
