/**
 * What survives a reload, in IndexedDB (through `idb`): the dataset files, each experiment's
 * definition and leaderboard (saved as trials finish), its results and winning model, and the session
 * (which dataset and experiment are open, on which step, and the goal form's draft).
 *
 * Every write is its own transaction: when the disk is full, the write that failed is lost but
 * nothing saved before it is, and the failure comes back as a StorageFailure with a sentence to show.
 */
import type { DecisionFormValues } from './decision-form.ts';
import type { ConstraintFormValues } from './constraint-form.ts';
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { LeaderboardEntry, ProjectDefinition, ResolvedProject } from '../core/automl/types.ts';
import type { BundleModelFile } from '../core/export/runtime/types.ts';
import { errorMessage } from '../core/util/error-message.ts';
import type { BackendSummary } from './backend-summary.ts';
import type { RunSummary } from './run-results.ts';
import type { StepId } from './steps.ts';

export interface StoredDataset {
  id: string;
  fileName: string;
  fileSize: number;
  /** The file as the user gave it; re-read by the ingest worker on restore. */
  file: Blob;
  savedAt: number;
}

export type ExperimentStatus = 'running' | 'finished' | 'cancelled' | 'failed' | 'interrupted';

export interface ExperimentRecord {
  id: string;
  datasetId: string;
  fileName: string;
  createdAt: number;
  updatedAt: number;
  definition: ProjectDefinition;
  status: ExperimentStatus;
  /** Start of the current run (ms since epoch): the time axis of the best-score chart. */
  runStartedAt: number;
  /** How many runs this experiment has had (a resume or restart adds one). */
  runs: number;
  /** The current run's finished trials, in the order they finished. */
  leaderboard: LeaderboardEntry[];
  /** Trials finished by earlier, interrupted runs of this experiment (kept on resume). */
  earlier: LeaderboardEntry[];
  project?: ResolvedProject;
  backend?: BackendSummary;
  /** Why the run failed or was stopped, in a sentence. */
  message?: string;
  /** Set once results and a model are saved under the same id. */
  hasResults: boolean;
  /** Headline for the list of experiments. */
  best?: { name: string; cvScore: number };
  testScore?: number;
  /** The champion model (a loaded bundle, kept in the `champions` store) this run is compared with. */
  champion?: { id: string; name: string };
}

/**
 * A model bundle chosen as the existing process to beat ("use as the existing process"): its model.json,
 * already checked (hashes, format) when the bundle was read. `id` is the SHA-256 of its model.
 */
export interface StoredChampion {
  id: string;
  /** The bundle's file name, as the user picked it. */
  fileName: string;
  modelFile: BundleModelFile;
  savedAt: number;
}

export interface ResultRecord {
  experimentId: string;
  summary: RunSummary;
  /** FinalModel.toJSON() as JSON. */
  model: Blob;
  savedAt: number;
}

export interface GoalDraft {
  target: string;
  task: string;
  metric: string;
  threshold: string;
  budget: number;
  search: string;
  baseline: string;
  excluded: string[];
  /** The stored champion model is the existing process (instead of a `baseline` column). */
  champion?: boolean;
  /** Coverage of the prediction intervals or sets (absent in drafts saved before: 0.9). */
  coverage?: number;
  /** Positive class, costs or an operating target, calibration (absent in drafts saved before them). */
  decision?: DecisionFormValues;
  /** Deployment limits and monotonic effects (absent in drafts saved before them). */
  constraints?: ConstraintFormValues;
}

export interface SessionRecord {
  datasetId: string | null;
  experimentId: string | null;
  step: StepId;
  goal: GoalDraft | null;
}

interface SieveDB extends DBSchema {
  datasets: { key: string; value: StoredDataset };
  experiments: { key: string; value: ExperimentRecord; indexes: { byDataset: string } };
  results: { key: string; value: ResultRecord };
  meta: { key: string; value: SessionRecord };
  champions: { key: string; value: StoredChampion };
}

const DB_NAME = 'sieve';
/** 1: datasets, experiments, results, meta; 2: + champions. */
const DB_VERSION = 2;

export type StorageFailureKind = 'quota' | 'unavailable' | 'other';

export class StorageFailure extends Error {
  readonly kind: StorageFailureKind;
  constructor(kind: StorageFailureKind, message: string) {
    super(message);
    this.name = 'StorageFailure';
    this.kind = kind;
  }
}

/** A storage error in words a user can act on. */
export function toStorageFailure(err: unknown, what: string): StorageFailure {
  if (err instanceof StorageFailure) return err;
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  const detail = errorMessage(err);
  if (name === 'QuotaExceededError' || /quota/i.test(detail)) {
    return new StorageFailure(
      'quota',
      `Could not save ${what}: this browser's storage for Sieve is full. Everything saved before is kept, and the page keeps working; delete old experiments (listed on the Data step) or free disk space so that new work survives a reload.`,
    );
  }
  if (name === 'InvalidStateError' || name === 'UnknownError' || name === 'SecurityError') {
    return new StorageFailure(
      'unavailable',
      `Could not save ${what}: browser storage is unavailable (${detail}). Work in this tab is not affected but will not survive a reload.`,
    );
  }
  return new StorageFailure('other', `Could not save ${what}: ${detail}`);
}

export class SieveStore {
  #db: Promise<IDBPDatabase<SieveDB>>;

  constructor(name = DB_NAME) {
    this.#db = openDB<SieveDB>(name, DB_VERSION, {
      upgrade(db, oldVersion) {
        // Each step adds what its version brought, so a database saved by an older page keeps its data.
        if (oldVersion < 1) {
          db.createObjectStore('datasets', { keyPath: 'id' });
          const experiments = db.createObjectStore('experiments', { keyPath: 'id' });
          experiments.createIndex('byDataset', 'datasetId');
          db.createObjectStore('results', { keyPath: 'experimentId' });
          db.createObjectStore('meta');
        }
        if (oldVersion < 2) db.createObjectStore('champions', { keyPath: 'id' });
      },
    });
  }

  async #write(what: string, op: (db: IDBPDatabase<SieveDB>) => Promise<unknown>): Promise<void> {
    try {
      await op(await this.#db);
    } catch (err) {
      throw toStorageFailure(err, what);
    }
  }

  saveDataset(record: StoredDataset): Promise<void> {
    return this.#write(`the dataset “${record.fileName}”`, (db) => db.put('datasets', record));
  }

  async getDataset(id: string): Promise<StoredDataset | undefined> {
    return (await this.#db).get('datasets', id);
  }

  async hasDataset(id: string): Promise<boolean> {
    return (await (await this.#db).getKey('datasets', id)) !== undefined;
  }

  saveExperiment(record: ExperimentRecord): Promise<void> {
    return this.#write('the experiment', (db) => db.put('experiments', record));
  }

  async getExperiment(id: string): Promise<ExperimentRecord | undefined> {
    return (await this.#db).get('experiments', id);
  }

  /** Every experiment, newest first. */
  async listExperiments(): Promise<ExperimentRecord[]> {
    const all = await (await this.#db).getAll('experiments');
    return all.sort((a, b) => b.createdAt - a.createdAt);
  }

  saveResults(record: ResultRecord): Promise<void> {
    return this.#write('the results and the winning model', (db) => db.put('results', record));
  }

  async getResults(experimentId: string): Promise<ResultRecord | undefined> {
    return (await this.#db).get('results', experimentId);
  }

  /** Deletes an experiment and its results, and its dataset when nothing else uses it (except `keepDatasetId`). */
  async deleteExperiment(id: string, keepDatasetId: string | null): Promise<void> {
    const db = await this.#db;
    const tx = db.transaction(['experiments', 'results', 'datasets'], 'readwrite');
    const record = await tx.objectStore('experiments').get(id);
    await tx.objectStore('experiments').delete(id);
    await tx.objectStore('results').delete(id);
    if (record && record.datasetId !== keepDatasetId) {
      const others = await tx.objectStore('experiments').index('byDataset').getAllKeys(record.datasetId);
      if (others.length === 0) await tx.objectStore('datasets').delete(record.datasetId);
    }
    await tx.done;
  }

  /** Deletes a dataset that no experiment uses (a dataset loaded, then replaced before any run). */
  async deleteDatasetIfUnused(id: string): Promise<void> {
    const db = await this.#db;
    const tx = db.transaction(['experiments', 'datasets'], 'readwrite');
    const users = await tx.objectStore('experiments').index('byDataset').getAllKeys(id);
    if (users.length === 0) await tx.objectStore('datasets').delete(id);
    await tx.done;
  }

  saveChampion(record: StoredChampion): Promise<void> {
    return this.#write(`the champion model “${record.fileName}”`, (db) => db.put('champions', record));
  }

  async getChampion(id: string): Promise<StoredChampion | undefined> {
    return (await this.#db).get('champions', id);
  }

  /** The champion chosen last (the one the Goal step offers), if any. */
  async latestChampion(): Promise<StoredChampion | undefined> {
    const all = await (await this.#db).getAll('champions');
    return all.sort((a, b) => b.savedAt - a.savedAt)[0];
  }

  /** Deletes the champions other than `keepId` that no experiment refers to (they were replaced). */
  async deleteUnusedChampions(keepId: string): Promise<void> {
    const db = await this.#db;
    const tx = db.transaction(['experiments', 'champions'], 'readwrite');
    const used = new Set((await tx.objectStore('experiments').getAll()).map((e) => e.champion?.id));
    for (const id of await tx.objectStore('champions').getAllKeys()) {
      if (id !== keepId && !used.has(id)) await tx.objectStore('champions').delete(id);
    }
    await tx.done;
  }

  saveSession(session: SessionRecord): Promise<void> {
    return this.#write('the session', (db) => db.put('meta', session, 'session'));
  }

  async getSession(): Promise<SessionRecord | undefined> {
    return (await this.#db).get('meta', 'session');
  }
}

/** Web Locks name held by the tab that runs an experiment: a reload finds it released and marks the run interrupted. */
export function runLockName(experimentId: string): string {
  return `sieve-run-${experimentId}`;
}

/** Names of the run locks some open tab holds right now (empty where Web Locks are missing). */
export async function heldRunLocks(): Promise<Set<string>> {
  if (!('locks' in navigator)) return new Set();
  const state = await navigator.locks.query();
  return new Set([...(state.held ?? []), ...(state.pending ?? [])].map((l) => l.name ?? '').filter(Boolean));
}

/** An id unique enough for local records. */
export function newId(): string {
  return crypto.randomUUID();
}

/** Files up to this size are identified by their SHA-256 (loading the same file twice stores it once). */
const HASH_LIMIT_BYTES = 64 * 1024 * 1024;

/** The id a dataset is saved under: the file's SHA-256, or its name, size and date past HASH_LIMIT_BYTES. */
export async function datasetIdOf(file: Blob, fileName: string): Promise<string> {
  if (file.size <= HASH_LIMIT_BYTES && globalThis.crypto?.subtle) {
    const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
    return `sha256-${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
  }
  const modified = file instanceof File ? file.lastModified : 0;
  return `file-${fileName}-${file.size}-${modified}`;
}
