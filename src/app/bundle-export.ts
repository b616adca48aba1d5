/**
 * Model export for the page, without the page's build-time inputs (the predict.mjs text, the app
 * version), so Node tests run it: a run's BundleInput from what the page stores (RunSummary + the
 * model's JSON Blob + the dataset), the bundle itself, reading a bundle back, and a scored CSV.
 * bundle-client.ts supplies the build-time inputs and the browser parts (CSV worker, downloads).
 */
import type { CostComparison } from '../core/eval/cost-ab.ts';
import { clipText } from '../core/export/runtime/message-text.ts';
import type { FinalModelJSON } from '../core/automl/model.ts';
import { cellText, type Frame } from '../core/data/frame.ts';
import type { Profile } from '../core/data/profile.ts';
import type { BundleInput } from '../core/export/bundle.ts';
import { predictionHeader as predictionHeaderOf, predictionsCsv } from '../core/export/csv-out.ts';
import type { CardAb, CardImportance, CardSuccess } from '../core/export/model-card.ts';
import { BundleError, MAX_BUNDLE_BYTES, readBundle, type ReadBundle } from '../core/export/read-bundle.ts';
import { loadModelSync } from '../core/export/runtime/load.ts';
import type { SieveModel } from '../core/export/runtime/model.ts';
import type { BundleModelFile, Prediction, RowError } from '../core/export/runtime/types.ts';
import { sha256OfBlob } from '../core/export/sha256.ts';
import { errorMessage } from '../core/util/error-message.ts';
import type { BackendSummary } from './backend-summary.ts';
import type { RunSummary } from './run-results.ts';

/** What the page has after a run: its stored summary and model, and the dataset it ran on. */
export interface RunForExport {
  summary: RunSummary;
  /** FinalModel.toJSON(), as the JSON Blob the experiment worker posts and IndexedDB keeps (or parsed). */
  model: Blob | FinalModelJSON;
  dataset: { fileName: string; file: Blob; frame: Frame; profile?: Profile; sample?: BundleInput['dataset']['sample'] };
  backend?: BackendSummary | null;
  /** The A/B result, success criterion and test-metric CI; default: the summary's own assessment. */
  assessment?: { ab?: CardAb; success?: CardSuccess; metric?: { value: number; ci: [number, number] }; costs?: CostComparison };
  /** The first rows of the data in example.csv instead of synthetic ones (the Ship step's checkbox, off by default). */
  realExamples?: boolean;
}

/** What the build adds: predict.mjs's text and the app's version. */
export interface BuildInputs {
  predictRuntime: string;
  appVersion: string;
}

export interface PreparedBundle {
  /** The .zip, ready to download. */
  blob: Blob;
  fileName: string;
  modelFile: BundleModelFile;
  /** The model loaded by the prediction runtime, for scoring CSVs in the page. */
  model: SieveModel;
  /** model.onnx on its own (the same bytes as in the .zip), or why the model has none. */
  onnx: { blob: Blob; fileName: string } | { reason: string };
}

/** Builds the bundle of a run (and loads its model for batch scoring). */
export async function prepareBundleWith(run: RunForExport, build: BuildInputs): Promise<PreparedBundle> {
  // Loaded here, not with the page: the bundle writer carries the ONNX writer (protobufjs and ONNX's messages).
  const { bundleFiles, zipBundle } = await import('../core/export/bundle.ts');
  const built = bundleFiles(await bundleInputFromRun(run, build));
  const { modelFile } = built;
  const zip = await zipBundle(built);
  return {
    blob: new Blob([zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' }),
    fileName: bundleFileName(run.dataset.fileName),
    modelFile,
    model: loadModelSync(modelFile, { verify: false }),
    onnx: built.files['model.onnx']
      ? {
          blob: new Blob([built.files['model.onnx'] as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }),
          fileName: bundleFileName(run.dataset.fileName).replace(/-sieve-bundle\.zip$/, '-sieve-model.onnx'),
        }
      : { reason: built.onnxSkipped ?? 'the model has no ONNX export' },
  };
}

export async function bundleInputFromRun(run: RunForExport, build: BuildInputs): Promise<BundleInput> {
  const { summary, dataset } = run;
  // The experiment worker assesses every run (RunSummary.assessment); a caller may pass its own.
  const assessment = run.assessment ?? summary.assessment;
  const model = run.model instanceof Blob ? (JSON.parse(await run.model.text()) as FinalModelJSON) : run.model;
  const imp = summary.importance;
  const importance: CardImportance | undefined = imp ? { kind: imp.kind, metric: imp.metric, items: imp.items } : undefined;
  return {
    model,
    project: summary.project,
    winner: summary.winner,
    leaderboard: summary.leaderboard.map((e) => ({ id: e.id, name: e.name, family: e.family, cvScore: e.cvScore })),
    run: {
      trials: summary.trials,
      elapsedSeconds: summary.elapsedSeconds,
      folds: summary.folds,
      searchRows: summary.searchRows,
      testRows: summary.testRows,
      cancelled: summary.cancelled,
      ...(summary.validation ? { validation: { kind: summary.validation.kind, reason: summary.validation.reason } } : {}),
      ...(summary.refitRows !== undefined ? { refitRows: summary.refitRows } : {}),
      ...(summary.importance?.rows !== undefined ? { importanceRows: summary.importance.rows } : {}),
    },
    test: summary.test,
    testMetric: assessment?.metric,
    ab: assessment?.ab,
    success: assessment?.success,
    importance,
    droppedFeatures: summary.droppedFeatures,
    conformal: summary.conformal,
    ...(summary.decisions || summary.constraints
      ? {
          decisions: {
            report: summary.decisions ?? {},
            ...(assessment?.costs ? { costs: assessment.costs } : {}),
            ...(summary.constraints
              ? {
                  constraints: {
                    ...summary.constraints,
                    notes: [
                      ...(summary.project.familiesExcluded ?? []).map((e) => `${e.family} left out: ${e.reason}`),
                      ...(summary.monotonicChecks ?? []).map(
                        (m) =>
                          `${m.column} ${m.direction === 1 ? 'increasing' : 'decreasing'}: ${m.violations} violations on ${m.rows} test rows' ICE curves (${m.gridPoints}-point grid)`,
                      ),
                      ...(summary.constraints.maxBundleKb !== undefined
                        ? ['the bundle size is the estimate made during the search; the Ship step shows this file’s size against the limit']
                        : []),
                    ],
                  },
                }
              : {}),
          },
        }
      : {}),
    frame: dataset.frame,
    profile: dataset.profile,
    dataset: { name: dataset.fileName, sha256: await sha256OfBlob(dataset.file), bytes: dataset.file.size, sample: dataset.sample },
    predictRuntime: build.predictRuntime,
    appVersion: build.appVersion,
    backend: describeBackend(run.backend),
    realExamples: run.realExamples ?? false,
  };
}

/**
 * Whether the winner is a k-nearest-neighbours model or an ensemble with one: such a model is its
 * (preprocessed) training rows, so its bundle carries them whatever example.csv holds, and the Ship
 * step says so before the download.
 */
export function winnerHoldsTrainingRows(summary: Pick<RunSummary, 'winner' | 'leaderboard'>): boolean {
  const { winner, leaderboard } = summary;
  if (winner.family === 'knn') return true;
  return (winner.members ?? []).some((m) => leaderboard.find((e) => e.id === m.id)?.family === 'knn');
}

/**
 * "titanic-sieve-bundle.zip" for a run on titanic.csv: named after the data, so bundles of different
 * projects do not overwrite each other in a downloads folder; characters file systems dislike are replaced.
 */
export function bundleFileName(datasetFileName: string): string {
  const stem = datasetFileName.replace(/\.[^.]*$/, '');
  const safe =
    stem
      .replace(/[^\p{L}\p{N}._-]+/gu, '_')
      .replace(/^[._]+/, '')
      .slice(0, 60) || 'model';
  return `${safe}-sieve-bundle.zip`;
}

export function describeBackend(b: BackendSummary | null | undefined): string | undefined {
  if (!b) return undefined;
  const one = (r: { backend: string; detail: string }) => `${r.backend}${r.detail ? ` (${r.detail})` : ''}`;
  const workers = [...new Set(b.workers.map(one))];
  const parts = [`browser, ${b.workers.length} trial worker${b.workers.length === 1 ? '' : 's'}: ${workers.join(', ') || 'unknown'}`];
  if (b.refit) parts.push(`refit: ${one(b.refit)}`);
  return parts.join('; ');
}

export interface LoadedBundle {
  bundle: ReadBundle;
  model: SieveModel;
}

/** Reads a bundle file the user picked: every check of readBundle, plus the size before reading it. */
export async function readBundleBlob(file: Blob, maxBytes = MAX_BUNDLE_BYTES): Promise<LoadedBundle> {
  if (file.size > maxBytes) {
    throw new BundleError(
      'too-large',
      `This file is ${(file.size / 1024 / 1024).toFixed(0)} MB; bundles over ${(maxBytes / 1024 / 1024).toFixed(0)} MB are refused.`,
    );
  }
  const bundle = readBundle(new Uint8Array(await file.arrayBuffer()), { maxBytes });
  try {
    return { bundle, model: loadModelSync(bundle.modelFile, { verify: false }) };
  } catch (err) {
    throw new BundleError('format', errorMessage(err));
  }
}

export interface ScoredCsv {
  fileName: string;
  rows: number;
  scored: number;
  /** One entry per row that could not be scored (1-based data rows), its problems joined. */
  failed: { row: number; message: string }[];
  header: string[];
  /** Column names of the prediction part (prediction, proba_<class>). */
  predictionHeader: string[];
  /** The first rows: original cells and prediction cells. */
  preview: { row: number; cells: string[]; prediction: string[] }[];
  /** The whole scored file as CSV text (formula cells neutralised). */
  toCsv: () => string;
}

export const PREVIEW_ROWS = 20;

/** The model's missing input columns in a parsed file, as a message (null when it has them all). */
export function missingColumnsMessage(model: SieveModel, frame: Frame, fileName: string): string | null {
  const absent = model.inputColumns.filter((name) => !frame.columns.some((c) => c.name === name));
  if (!absent.length) return null;
  // Names come from the bundle and the file: cut each, and list at most 20.
  const listed =
    absent
      .slice(0, 20)
      .map((a) => `“${clipText(a)}”`)
      .join(', ') + (absent.length > 20 ? ` and ${absent.length - 20} more` : '');
  return `${clipText(fileName)} lacks column${absent.length > 1 ? 's' : ''} ${listed}, which the model needs.`;
}

export function scoredCsv(fileName: string, frame: Frame, model: SieveModel, predictions: (Prediction | null)[], errors: RowError[]): ScoredCsv {
  const header = frame.columns.map((c) => c.name);
  const cells = (r: number) => frame.columns.map((c) => cellText(c, r));
  // A calibrated model adds <target>_lower/_upper or <target>_set (csv-out.ts).
  const uncertainty = model.uncertainty ? model.target : undefined;
  const predictionHeader = predictionHeaderOf(model.task, model.classes, uncertainty);
  const byRow = new Map<number, string[]>();
  for (const e of errors) byRow.set(e.row, [...(byRow.get(e.row) ?? []), e.message]);
  const predictionCells = (p: Prediction | null): string[] => {
    if (!p) return predictionHeader.map(() => '');
    if ('value' in p) return [formatValue(p.value), ...(p.interval ? p.interval.map(formatValue) : [])];
    return [p.label, ...model.classes.map((c) => p.probabilities[c].toFixed(3)), ...(p.set ? [p.set.join('|')] : [])];
  };
  return {
    fileName,
    rows: frame.rows,
    scored: predictions.filter((p) => p !== null).length,
    failed: [...byRow].map(([row, messages]) => ({ row, message: messages.join('; ') })),
    header,
    predictionHeader,
    preview: Array.from({ length: Math.min(PREVIEW_ROWS, frame.rows) }, (_, r) => ({
      row: r + 1,
      cells: cells(r),
      prediction: predictionCells(predictions[r]),
    })),
    toCsv: () => predictionsCsv({ header, cells, rows: frame.rows, predictions, task: model.task, classes: model.classes, uncertainty }),
  };
}

function formatValue(v: number): string {
  return Math.abs(v) >= 1000 ? v.toFixed(1) : Number(v.toPrecision(5)).toString();
}
