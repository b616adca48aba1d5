/**
 * Shared set-up of the export tests: a real data set, a fitted FinalModel (one family or an
 * ensemble) refitted exactly as the engine does, a bundle of it unzipped in a temp folder, and
 * predict.mjs imported from there.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { unzipSync } from 'fflate';
import { fitFinalModel, type FinalModel, type MemberSpec } from '../../../src/core/automl/model.ts';
import { resolveProject } from '../../../src/core/automl/project.ts';
import type { ResolvedProject } from '../../../src/core/automl/types.ts';
import type { Frame } from '../../../src/core/data/frame.ts';
import type { Profile } from '../../../src/core/data/profile.ts';
import { trainTestSplit } from '../../../src/core/eval/split.ts';
import { buildBundle, type BundleInput } from '../../../src/core/export/bundle.ts';
import { sha256Hex } from '../../../src/core/export/sha256.ts';
import { rowsWithTarget } from '../../../src/core/prep/target.ts';
import { predictRuntimeSource } from '../../../src/node/predict-runtime.ts';
import { readCsvFile } from '../../../src/node/read-csv.ts';
import { datasetPath, manifest } from '../../helpers/datasets.ts';

export interface Dataset {
  name: string;
  frame: Frame;
  profile: Profile;
  bytes: Uint8Array;
  target: string;
  exclude: string[];
}

const cache = new Map<string, Promise<Dataset>>();

export function dataset(name: string): Promise<Dataset> {
  let d = cache.get(name);
  if (!d) {
    d = (async () => {
      const file = datasetPath(name);
      const { frame, profile } = await readCsvFile(file);
      const entry = manifest().find((e) => e.name === name)!;
      return { name, frame, profile, bytes: new Uint8Array(fs.readFileSync(file)), target: entry.target, exclude: entry.id_columns ?? [] };
    })();
    cache.set(name, d);
  }
  return d;
}

export interface Fitted {
  data: Dataset;
  project: ResolvedProject;
  model: FinalModel;
  searchRows: Int32Array;
  testRows: Int32Array;
}

/** Fits members on a seeded 80 % split of the rows with a target, as the engine's refit does. */
export async function fit(name: string, members: Omit<MemberSpec, 'features'>[], seed = 0): Promise<Fitted> {
  const data = await dataset(name);
  const { project } = resolveProject(data.frame, { target: data.target, exclude: data.exclude, seed });
  const rows = rowsWithTarget(data.frame, data.target);
  const y = new Float64Array(rows.length);
  const split = trainTestSplit(y, { testSize: 0.2, seed, stratify: false });
  const searchRows = Int32Array.from(split.train, (i) => rows[i]);
  const testRows = Int32Array.from(split.test, (i) => rows[i]);
  const model = await fitFinalModel(data.frame, {
    target: project.target,
    task: project.task,
    classes: project.classes,
    trainRows: searchRows,
    seed,
    members: members.map((m) => ({ ...m, features: project.features })),
  });
  return { data, project, model, searchRows, testRows };
}

export async function bundleInput(f: Fitted, extra: Partial<BundleInput> = {}): Promise<BundleInput> {
  return {
    model: f.model.toJSON(),
    project: f.project,
    winner: { name: 'test model', family: f.model.isEnsemble ? 'ensemble' : f.model.members[0].model.family, params: {}, cvScore: 0.8, cvStd: 0.01 },
    run: { trials: 3, elapsedSeconds: 1.5, folds: 5, searchRows: f.searchRows.length, testRows: f.testRows.length, cancelled: false },
    test: { accuracy: 0.8 },
    frame: f.data.frame,
    profile: f.data.profile,
    dataset: { name: `${f.data.name}.csv`, sha256: sha256Hex(f.data.bytes), bytes: f.data.bytes.length },
    predictRuntime: await predictRuntimeSource(),
    appVersion: '0.1.0',
    backend: 'wasm (test)',
    created: '2025-01-02T03:04:05.000Z',
    ...extra,
  };
}

/** A fresh temp folder, removed by the returned cleanup. */
export function tempDir(prefix = 'sieve-export-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Unzips a bundle into dir. */
export function unzipTo(zip: Uint8Array, dir: string): string[] {
  const files = unzipSync(zip);
  for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), bytes);
  return Object.keys(files);
}

export interface PredictModule {
  loadModel(
    source?: unknown,
    opts?: { verify?: boolean },
  ): Promise<{
    predict(rows: unknown): { label?: string; probabilities?: Record<string, number>; value?: number }[];
    score(rows: unknown): { predictions: unknown[]; errors: { row: number; column?: string; message: string }[] };
    validate(rows: unknown): { row: number; column?: string; message: string }[];
    predictRaw(rows: unknown): { values: Float64Array; proba?: Float64Array; kept: number[] };
    classes: string[];
    inputColumns: string[];
    schema: Record<string, unknown>;
  }>;
}

/** Builds the bundle, unzips it to a temp folder and imports its predict.mjs (a fresh module each time). */
export async function exportAndImport(
  f: Fitted,
  extra: Partial<BundleInput> = {},
): Promise<{ zip: Uint8Array; dir: string; mod: PredictModule; cleanup: () => void }> {
  const zip = await buildBundle(await bundleInput(f, extra));
  const { dir, cleanup } = tempDir();
  unzipTo(zip, dir);
  const mod = (await import(pathToFileURL(path.join(dir, 'predict.mjs')).href)) as PredictModule;
  return { zip, dir, mod, cleanup };
}
