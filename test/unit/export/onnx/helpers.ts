/**
 * Shared set-up of the ONNX tests: a model fitted on a slice of a shared dataset's training split,
 * its model.json envelope (what predict.mjs loads), model.onnx, ONNX Runtime feeds built from the
 * test rows, and the comparison of the graph's outputs with Sieve's runtime.
 */
import * as ort from 'onnxruntime-node';
import { fitFinalModel, type FinalModel, type MemberSpec } from '../../../../src/core/automl/model.ts';
import { resolveProject } from '../../../../src/core/automl/project.ts';
import type { ResolvedProject } from '../../../../src/core/automl/types.ts';
import type { Frame } from '../../../../src/core/data/frame.ts';
import { trainTestSplit } from '../../../../src/core/eval/split.ts';
import { inputSchemaForBundle } from '../../../../src/core/export/input-schema.ts';
import { exportOnnx, type OnnxResult } from '../../../../src/core/export/onnx/export.ts';
import { SieveModel, type RawPredictions } from '../../../../src/core/export/runtime/model.ts';
import { BUNDLE_MODEL_FORMAT, BUNDLE_MODEL_VERSION, type BundleModelFile, type InputSchema } from '../../../../src/core/export/runtime/types.ts';
import { frameRows } from '../../../../src/core/export/rows.ts';
import { sha256Hex } from '../../../../src/core/export/sha256.ts';
import { rowsWithTarget } from '../../../../src/core/prep/target.ts';
import { dataset, type Dataset } from '../fixtures.ts';

export interface SliceFit {
  data: Dataset;
  project: ResolvedProject;
  model: FinalModel;
  trainRows: Int32Array;
  testRows: Int32Array;
}

/** Seeded 80/20 split of the rows with a target; members fitted on the first `maxTrain` training rows. */
export async function fitSlice(name: string, members: Omit<MemberSpec, 'features'>[], maxTrain: number, seed = 1): Promise<SliceFit> {
  const data = await dataset(name);
  const { project } = resolveProject(data.frame, { target: data.target, exclude: data.exclude, seed });
  const rows = rowsWithTarget(data.frame, data.target);
  const split = trainTestSplit(new Float64Array(rows.length), { testSize: 0.2, seed, stratify: false });
  const trainRows = Int32Array.from(split.train.slice(0, maxTrain), (i) => rows[i]);
  const testRows = Int32Array.from(split.test, (i) => rows[i]);
  const model = await fitFinalModel(data.frame, {
    target: project.target,
    task: project.task,
    classes: project.classes,
    trainRows,
    seed,
    members: members.map((m) => ({ ...m, features: project.features })),
  });
  return { data, project, model, trainRows, testRows };
}

export function modelFile(f: SliceFit): BundleModelFile {
  const model = f.model.toJSON();
  return {
    format: BUNDLE_MODEL_FORMAT,
    version: BUNDLE_MODEL_VERSION,
    created: '2025-01-02T03:04:05.000Z',
    app: { name: 'Sieve', version: '0.1.0' },
    task: f.project.task,
    metric: f.project.metric,
    target: f.project.target,
    classes: f.project.classes,
    input: inputSchemaForBundle(model, f.data.frame),
    integrity: { algorithm: 'SHA-256', model: sha256Hex(JSON.stringify(model)), files: {} },
    model,
  };
}

export function onnxOf(file: BundleModelFile, trainingSha256 = 'a'.repeat(64), testScore = 0.5): OnnxResult {
  return exportOnnx({
    model: file.model,
    input: file.input,
    task: file.task,
    target: file.target,
    classes: file.classes,
    metric: file.metric,
    appVersion: file.app.version,
    testScore,
    trainingSha256,
    modelSha256: file.integrity.model,
  });
}

/** ONNX Runtime feeds for `rows` of the frame: float (numeric), double epoch ms (datetime), string ("" missing). */
export function feeds(frame: Frame, schema: InputSchema, rows: ArrayLike<number>): Record<string, ort.Tensor> {
  const out: Record<string, ort.Tensor> = {};
  const n = rows.length;
  for (const c of schema.columns) {
    const col = frame.columns.find((x) => x.name === c.name)!;
    if (c.type === 'numeric' || c.type === 'datetime') {
      const v = c.type === 'numeric' ? new Float32Array(n) : new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = col.storage === 'numeric' ? col.values[rows[i]] : NaN;
      out[c.name] = new ort.Tensor(c.type === 'numeric' ? 'float32' : 'float64', v, [n, 1]);
    } else {
      const s: string[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const code = col.storage === 'categorical' ? col.codes[rows[i]] : -1;
        s[i] = code < 0 ? '' : col.storage === 'categorical' ? col.levels[code] : '';
      }
      out[c.name] = new ort.Tensor('string', s, [n, 1]);
    }
  }
  return out;
}

export async function session(bytes: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1, logSeverityLevel: 3 });
}

export interface Parity {
  rows: number;
  /** Largest |onnx - sieve| / |sieve| over probabilities or values (see within()). */
  maxRel: number;
  /** Values beyond the tolerance. */
  outside: number;
  /** Labels that differ from Sieve's. */
  labelDiffs: number;
  /** Of those, the ones where the two top probabilities are within float32 rounding of each other. */
  nearTies: number;
}

/** Relative difference; below float32's smallest normal number both count as equal (float32 cannot hold them). */
export function relDiff(onnx: number, sieve: number): number {
  const d = Math.abs(onnx - sieve);
  if (d <= 1.2e-38) return 0;
  return d / Math.abs(sieve);
}

/** Compares the graph's outputs with Sieve's runtime (predictRaw) on the same rows. */
export function compare(file: BundleModelFile, sieve: RawPredictions, out: ort.InferenceSession.OnnxValueMapType, tol = 1e-5): Parity {
  const n = sieve.kept.length;
  let maxRel = 0;
  let outside = 0;
  let labelDiffs = 0;
  let nearTies = 0;
  if (file.task === 'regression') {
    const pred = out.prediction.data as Float32Array;
    if (pred.length !== n) throw new Error(`prediction has ${pred.length} values for ${n} rows`);
    for (let i = 0; i < n; i++) {
      const r = relDiff(pred[i], sieve.values[i]);
      maxRel = Math.max(maxRel, r);
      if (!(r <= tol)) outside++;
    }
    return { rows: n, maxRel, outside, labelDiffs, nearTies };
  }
  const K = file.classes.length;
  const proba = out.probabilities.data as Float32Array;
  const labels = out.label.data as string[];
  if (proba.length !== n * K || labels.length !== n)
    throw new Error(`probabilities ${out.probabilities.dims} / labels ${labels.length} for ${n} rows x ${K} classes`);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) {
      const r = relDiff(proba[i * K + k], sieve.proba![i * K + k]);
      maxRel = Math.max(maxRel, r);
      if (!(r <= tol)) outside++;
    }
    if (labels[i] !== file.classes[sieve.values[i]]) {
      labelDiffs++;
      const p = Array.from(sieve.proba!.subarray(i * K, i * K + K)).sort((a, b) => b - a);
      if (Math.fround(p[0]) === Math.fround(p[1])) nearTies++;
    }
  }
  return { rows: n, maxRel, outside, labelDiffs, nearTies };
}

export interface BothRuns {
  /** Sieve's runtime on the rows as the CSV gives them (numbers in double). */
  sieve: RawPredictions;
  onnx: ort.InferenceSession.OnnxValueMapType;
}

/** Sieve's runtime (what predict.mjs runs) on the test rows, and the ONNX graph on the same rows. */
export async function runBoth(f: SliceFit, file: BundleModelFile, bytes: Uint8Array, rows = f.testRows): Promise<BothRuns> {
  const runtime = new SieveModel(file);
  const table = frameRows(f.data.frame, runtime.inputColumns, rows);
  const sieve = runtime.predictRaw(table);
  if (sieve.kept.length !== rows.length) throw new Error(`Sieve's runtime refused ${rows.length - sieve.kept.length} test rows`);
  const sess = await session(bytes);
  try {
    return { sieve, onnx: await sess.run(feeds(f.data.frame, file.input, rows)) };
  } finally {
    await sess.release();
  }
}
