/**
 * The model bundle: one .zip holding everything a model needs to leave Sieve and go to work.
 *
 *   model.json       the fitted pipeline(s) and model in a versioned envelope (runtime/types.ts)
 *   predict.mjs      the dependency-free prediction API (browsers, Node >= 18); predict.d.ts its types
 *   serve.mjs        an HTTP server on 127.0.0.1 (POST /predict, GET /health, GET /schema)
 *   schema.json      JSON Schema of one input row
 *   example.csv      a few example rows of the input columns: synthetic (example-rows.ts) unless the
 *                    exporter asks for real training rows (realExamples)
 *   README.md        the model card; model-card.html the same, as one self-contained page
 *   model.onnx       the same model as one ONNX graph (onnx/export.ts), when its families and steps
 *                    export (onnx/support.ts); the card says why when not
 *
 * model.json records the SHA-256 of its model and of every other file, so read-bundle.ts can tell a
 * bundle damaged in transit or on disk (a truncated download, a flipped byte, a file from another
 * export) from a good one. That is integrity, not authenticity: the hashes live inside the bundle, so
 * whoever edits a file on purpose can recompute them, and a bundle that passes proves nothing about
 * who made it. (A k-nearest-neighbours model is its training rows, so its model.json holds them
 * whatever example.csv holds.)
 */
import { zip, type AsyncZippable } from 'fflate';
import type { FinalModelJSON } from '../automl/model.ts';
import type { ResolvedProject } from '../automl/types.ts';
import type { Frame } from '../data/frame.ts';
import type { Profile } from '../data/profile.ts';
import { csvLine } from './csv-out.ts';
import { describeTrainingData, type Datasheet } from './datasheet.ts';
import { exampleRows } from './example-rows.ts';
import { inputSchemaForBundle } from './input-schema.ts';
import { exportOnnx } from './onnx/export.ts';
import { buildModelCard, type CardAb, type CardImportance, type CardSuccess, type CardWinner, type ModelCard, type ModelCardInput } from './model-card.ts';
import { PREDICT_D_TS } from './predict-dts.ts';
import { toJsonSchema } from './runtime/schema.ts';
import { BUNDLE_MODEL_FORMAT, BUNDLE_MODEL_VERSION, type BundleModelFile } from './runtime/types.ts';
import { SERVE_MJS } from './serve-template.ts';
import { sha256Hex } from './sha256.ts';

import { BUNDLE_FILES, OPTIONAL_BUNDLE_FILES, type BundleFileName, type OptionalBundleFileName } from './bundle-files.ts';

export { BUNDLE_FILES, OPTIONAL_BUNDLE_FILES, type BundleFileName, type OptionalBundleFileName };

export interface BundleInput {
  model: FinalModelJSON;
  project: ResolvedProject;
  winner: CardWinner;
  leaderboard?: ModelCardInput['leaderboard'];
  run: ModelCardInput['run'];
  test: Record<string, number>;
  testMetric?: { value: number; ci: [number, number] };
  ab?: CardAb;
  success?: CardSuccess;
  importance?: CardImportance;
  /** The conformal intervals or sets on the test split, for the card (the calibration itself is in `model`). */
  conformal?: ModelCardInput['conformal'];
  droppedFeatures?: { name: string; reason: string }[];
  /** Calibration, the decision threshold and costs, deployment constraints (the card's Decisions section). */
  decisions?: ModelCardInput['decisions'];
  /** The training data (every row of the file the run used). */
  frame: Frame;
  /** Its ingest profile, for the datasheet's warnings (computed when absent). */
  profile?: Profile;
  /** `sample`: the file was read as a row sample (IngestResult.sample); the card says so. */
  dataset: { name: string; sha256: string; bytes?: number; sample?: Datasheet['sample'] };
  /** predict.mjs's text (src/node/predict-runtime.ts in Node, `virtual:predict-runtime` in the page). */
  predictRuntime: string;
  appVersion: string;
  backend?: string;
  /** Export time (ISO 8601); now when absent. */
  created?: string;
  /** Rows in example.csv (default 5). */
  exampleRows?: number;
  /**
   * Put the first rows of the training data in example.csv and the card's snippets, as they are.
   * Default false: synthetic rows drawn from the columns (example-rows.ts), so no record leaves in them.
   */
  realExamples?: boolean;
}

export interface BuiltBundleFiles {
  files: Record<BundleFileName, Uint8Array> & Partial<Record<OptionalBundleFileName, Uint8Array>>;
  modelFile: BundleModelFile;
  /** Why there is no model.onnx (absent when there is one). */
  onnxSkipped?: string;
}

/** The bundle's files, before zipping (also what the tests inspect). */
export function bundleFiles(input: BundleInput): BuiltBundleFiles {
  const created = input.created ?? new Date().toISOString();
  const { model, project, frame } = input;
  const schema = inputSchemaForBundle(model, frame);
  const inputs = schema.columns.map((c) => c.name);
  const examples = exampleRows(frame, inputs, { count: input.exampleRows ?? 5, seed: project.seed, real: input.realExamples });
  const exampleCsv = [csvLine(inputs), ...examples.rows.map((row) => csvLine(inputs.map((name) => exampleCell(row[name]))))].join('\r\n') + '\r\n';
  const modelSha256 = sha256Hex(JSON.stringify(model));
  const onnx = exportOnnx({
    model,
    input: schema,
    task: project.task,
    target: project.target,
    classes: project.classes,
    metric: project.metric,
    appVersion: input.appVersion,
    testScore: input.testMetric?.value ?? input.test[project.metric],
    trainingSha256: input.dataset.sha256,
    modelSha256,
  });
  const card = bundleCard(input, created, modelSha256, inputs, examples, onnx);
  const jsonSchema = toJsonSchema(schema, `Input row of the Sieve model predicting "${project.target}"`);
  if (onnx.ok) jsonSchema['x-onnx'] = { file: 'model.onnx', inputs: onnx.onnx.inputs, outputs: onnx.onnx.outputs };
  const enc = new TextEncoder();
  const others: Record<Exclude<BundleFileName, 'model.json'>, Uint8Array> & Partial<Record<OptionalBundleFileName, Uint8Array>> = {
    'README.md': enc.encode(card.markdown),
    'model-card.html': enc.encode(card.html),
    'predict.mjs': enc.encode(input.predictRuntime),
    'predict.d.ts': enc.encode(PREDICT_D_TS),
    'serve.mjs': enc.encode(SERVE_MJS),
    'schema.json': enc.encode(`${JSON.stringify(jsonSchema, null, 2)}\n`),
    'example.csv': enc.encode(exampleCsv),
  };
  if (onnx.ok) others['model.onnx'] = onnx.onnx.bytes;
  const modelFile: BundleModelFile = {
    format: BUNDLE_MODEL_FORMAT,
    version: BUNDLE_MODEL_VERSION,
    created,
    app: { name: 'Sieve', version: input.appVersion },
    task: project.task,
    metric: project.metric,
    target: project.target,
    classes: project.classes,
    input: schema,
    integrity: {
      algorithm: 'SHA-256',
      model: modelSha256,
      files: Object.fromEntries(Object.entries(others).map(([name, bytes]) => [name, sha256Hex(bytes)])),
    },
    model,
  };
  const files = { ...others, 'model.json': enc.encode(modelJsonText(modelFile)) } as BuiltBundleFiles['files'];
  return { files, modelFile, ...(onnx.ok ? {} : { onnxSkipped: onnx.reason }) };
}

/** The model card of the bundle, with the datasheet of its training data. */
function bundleCard(
  input: BundleInput,
  created: string,
  modelSha256: string,
  inputs: string[],
  examples: ReturnType<typeof exampleRows>,
  onnx: ReturnType<typeof exportOnnx>,
): ModelCard {
  const { model, project, frame } = input;
  const data = describeTrainingData(frame, {
    name: input.dataset.name,
    sha256: input.dataset.sha256,
    bytes: input.dataset.bytes,
    sample: input.dataset.sample,
    target: project.target,
    inputs,
    profile: input.profile,
    classes: project.task === 'regression' ? undefined : project.classes,
  });
  return buildModelCard({
    appVersion: input.appVersion,
    created,
    project,
    model,
    modelSha256,
    winner: input.winner,
    leaderboard: input.leaderboard,
    run: input.run,
    test: input.test,
    testMetric: input.testMetric,
    ab: input.ab,
    success: input.success,
    importance: input.importance,
    conformal: input.conformal,
    data,
    droppedFeatures: input.droppedFeatures,
    decisions: input.decisions,
    backend: input.backend,
    example: examples.rows[0] ?? Object.fromEntries(inputs.map((n) => [n, null])),
    examples: { source: examples.source, count: examples.rows.length },
    onnx: onnx.ok ? { ok: true, inputs: onnx.onnx.inputs, outputs: onnx.onnx.outputs, metadata: onnx.onnx.metadata } : onnx,
  });
}

/** A row value as a CSV cell: numbers as JavaScript writes them, dates already ISO 8601, '' when missing. */
function exampleCell(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

/** The envelope pretty-printed for people, the (large) model itself on one compact line. */
export function modelJsonText(file: BundleModelFile): string {
  const { model, ...head } = file;
  const top = JSON.stringify(head, null, 2);
  return `${top.slice(0, top.lastIndexOf('}')).trimEnd()},\n  "model": ${JSON.stringify(model)}\n}\n`;
}

/** The bundle as .zip bytes. */
export async function buildBundle(input: BundleInput): Promise<Uint8Array> {
  return zipBundle(bundleFiles(input));
}

/** Zips files made by bundleFiles (in BUNDLE_FILES order, dated at the export time). */
export function zipBundle({ files, modelFile }: BuiltBundleFiles): Promise<Uint8Array> {
  const created = new Date(modelFile.created);
  const mtime = Number.isNaN(created.getTime()) ? new Date() : created;
  const entries: AsyncZippable = {};
  for (const name of BUNDLE_FILES) entries[name] = [files[name], { mtime }];
  for (const name of OPTIONAL_BUNDLE_FILES) {
    const bytes = files[name];
    if (bytes) entries[name] = [bytes, { mtime }];
  }
  return new Promise((resolve, reject) => {
    zip(entries, { level: 6 }, (err, data) => (err ? reject(err) : resolve(data)));
  });
}
