/**
 * The page's conductor: which step is shown and which dataset and experiment are open, kept in
 * IndexedDB so that a reload comes back to the same place. Runs are the run controller's
 * (run-controller.svelte.ts), the champion is champion-state.svelte.ts's, the store and its failures
 * storage.svelte.ts's; this file ties them to what the user does. A reload finds the Web Lock of a
 * run in progress released and marks that run interrupted, keeping its finished trials, to be
 * resumed or restarted.
 */
import type { ResolvedProject } from '../core/automl/types.ts';
import { errorMessage } from '../core/util/error-message.ts';
import type { BackendSummary } from './backend-summary.ts';
import type { LoadedBundle } from './bundle-export.ts';
import { championState, type Champion } from './champion-state.svelte.ts';
import { datasetState, type LoadedDataset } from './dataset-state.svelte.ts';
import { checkGoal, idLikeColumns } from './goal-check.ts';
import { goalState } from './goal-state.svelte.ts';
import { RunController } from './run-controller.svelte.ts';
import { interruptedRecord, newExperimentRecord, rerunRecord, type RunMode } from './run-records.ts';
import type { ExplainedRow } from './run-results.ts';
import { runState } from './run-state.svelte.ts';
import type { StepId } from './steps.ts';
import { storage } from './storage.svelte.ts';
import { datasetIdOf, heldRunLocks, newId, runLockName, type ExperimentRecord, type SessionRecord, type SieveStore } from './store.ts';

class Workspace {
  step = $state<StepId>('data');
  experiments = $state.raw<ExperimentRecord[]>([]);
  /** Restoring the saved session after a reload. */
  restoring = $state(false);
  /** Counts what the user did to move around (steps, opening an experiment, starting a run). */
  #navigations = 0;
  datasetId = $state<string | null>(null);
  /** A problem opening a saved experiment. */
  openError = $state<string | null>(null);
  readonly allowSoftwareGpu: boolean;
  readonly runs: RunController;

  #currentFile: Blob | null = null;
  #sessionTimer: ReturnType<typeof setTimeout> | null = null;
  /** A champion was chosen before any data was loaded: select it in the goal of the next dataset. */
  #championForNextDataset = false;

  constructor() {
    const params = new URLSearchParams(globalThis.location?.search ?? '');
    // ?gpu=software: use a software WebGPU adapter and expose a lost-device hook (tests of the GPU path).
    this.allowSoftwareGpu = params.get('gpu') === 'software';
    this.runs = new RunController(this.allowSoftwareGpu, (saved) => this.#experimentSaved(saved));
    if (this.allowSoftwareGpu) {
      (globalThis as unknown as { sieveDebug: unknown }).sieveDebug = { loseGpuDevice: () => this.runs.loseGpuDevice() };
    }
  }

  /** The champion model offered as the existing process on the Goal step (the last bundle chosen). */
  get champion(): Champion | null {
    return championState.current;
  }

  /** The last storage failure, in a sentence; null when saving works. */
  get storageError(): string | null {
    return storage.error;
  }

  /** The experiment on screen, as saved. */
  get record(): ExperimentRecord | null {
    return this.runs.record;
  }

  /** The trial workers' backends before any run (the warm pool). */
  get poolBackend(): BackendSummary | null {
    return this.runs.poolBackend;
  }

  /** The loaded dataset when it is the one the experiment on screen ran on (the Ship step's data). */
  get runDataset(): LoadedDataset | null {
    const record = this.runs.record;
    return record && record.datasetId === this.datasetId ? datasetState.dataset : null;
  }

  /** The winning model of the experiment on screen (FinalModel JSON), once its run has finished. */
  get winnerModel(): Blob | null {
    return this.runs.winnerModel;
  }

  /** Starts the experiment and trial workers ahead of the first run. */
  warm(): void {
    this.runs.warm();
  }

  goTo(step: StepId): void {
    this.#navigations++;
    this.step = step;
    this.saveSessionNow();
  }

  dismissStorageError(): void {
    storage.dismiss();
  }

  /** After a reload: marks orphaned runs interrupted, lists experiments, reopens the last session. */
  async init(): Promise<void> {
    const store = storage.store;
    if (!store) return;
    this.restoring = true;
    try {
      await markInterrupted(store);
      await this.refreshList();
      await championState.restore(store);
      const session = await store.getSession();
      if (session) await this.#restoreSession(store, session, this.#navigations);
    } catch (err) {
      storage.error = `Could not read the saved experiments: ${errorMessage(err)}`;
    } finally {
      this.restoring = false;
    }
  }

  async refreshList(): Promise<void> {
    if (storage.store) this.experiments = await storage.store.listExperiments();
  }

  /** A record was saved (null: a run ended): the list shows it. */
  async #experimentSaved(record: ExperimentRecord | null): Promise<void> {
    if (!record || !this.experiments.some((e) => e.id === record.id)) await this.refreshList();
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
        if (record && record.datasetId === session.datasetId) await this.runs.show(store, record);
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

  /** Why the winner predicts what it does for test row `testIndex` (0-based in the test split). */
  explainTestRow(testIndex: number): Promise<ExplainedRow> {
    return this.runs.explainTestRow(testIndex, this.datasetId);
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
    if (this.#championForNextDataset && championState.current) goalState.chooseChampion();
    this.#championForNextDataset = false;
    if (!runState.active) this.runs.clear();
    this.saveSessionNow();
    const store = storage.store;
    if (!store) return;
    try {
      if (!(await store.hasDataset(id))) {
        await store.saveDataset({ id, fileName: dataset.fileName, fileSize: dataset.fileSize, file: dataset.file, savedAt: Date.now() });
      }
    } catch (err) {
      storage.failed(err, 'the dataset');
    }
    if (previous && previous !== this.runs.record?.datasetId) await store.deleteDatasetIfUnused(previous).catch(() => undefined);
  }

  /** Starts a run: a new experiment from the Goal form, or another run of the experiment on screen. */
  startRun(mode: RunMode = 'new'): void {
    this.#navigations++;
    const dataset = datasetState.dataset;
    if (!dataset || !this.datasetId || runState.active) return;
    const now = Date.now();
    let record: ExperimentRecord;
    if (mode === 'new') {
      const champion = championState.current;
      const check = checkGoal(dataset.frame, goalState.values, champion?.model ?? null);
      if (!check.definition) return;
      const compared = check.champion && champion ? { id: champion.id, name: champion.name } : undefined;
      record = newExperimentRecord(newId(), { datasetId: this.datasetId, fileName: dataset.fileName }, check.definition, compared, now);
    } else {
      const previous = this.runs.record;
      if (!previous || previous.datasetId !== this.datasetId) return;
      record = rerunRecord(previous, mode, now);
    }
    this.runs.start(record, dataset.frame);
    this.step = 'search';
    this.saveSessionNow();
  }

  cancelRun(): void {
    this.runs.cancel();
  }

  /**
   * "Use as the existing process": the bundle's model becomes the champion the Goal step offers (and
   * selects), saved so that it survives a reload. With data loaded, the Goal step opens.
   */
  async useChampion(loaded: LoadedBundle, fileName: string): Promise<void> {
    const saved = championState.use(loaded, fileName);
    goalState.chooseChampion();
    if (datasetState.dataset) this.goTo('goal');
    else this.#championForNextDataset = true;
    await saved;
  }

  /** Reopens a saved experiment (and its dataset when another one is loaded). */
  async open(id: string): Promise<void> {
    const store = storage.store;
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
    goalState.loadDefinition(datasetState.dataset!.frame, record.definition, record.champion !== undefined && record.champion.id === championState.current?.id);
    await this.runs.show(store, record);
    this.step = runState.summary ? 'compare' : 'search';
    this.saveSessionNow();
  }

  async remove(id: string): Promise<void> {
    const store = storage.store;
    if (!store || (runState.active && runState.experimentId === id)) return;
    await store.deleteExperiment(id, this.datasetId);
    if (runState.experimentId === id) {
      this.runs.clear();
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
    const store = storage.store;
    if (!store || this.restoring) return;
    const session: SessionRecord = {
      datasetId: this.datasetId,
      experimentId: runState.experimentId,
      step: this.step,
      goal: goalState.draft(),
    };
    store.saveSession(session).catch((err: unknown) => storage.failed(err, 'the session'));
  }
}

/** Runs saved as running whose Web Lock nobody holds were interrupted by a reload or a closed tab. */
async function markInterrupted(store: SieveStore): Promise<void> {
  const held = await heldRunLocks();
  for (const record of await store.listExperiments()) {
    if (record.status === 'running' && !held.has(runLockName(record.id))) await store.saveExperiment(interruptedRecord(record));
  }
}

export const workspace = new Workspace();
