/**
 * predict.d.ts: the TypeScript declarations of the bundle's predict.mjs, as text. It mirrors the
 * runtime's exports (runtime/index.ts); test/unit/export/predict-dts.test.ts type-checks a program
 * against it.
 */
export const PREDICT_D_TS = `// Types for predict.mjs, the prediction API of a model exported by Sieve.

/** One input row, keyed by column name (see schema.json). null or "" is a missing value. */
export type Row = Record<string, unknown>;

export interface ClassPrediction {
  /** The most probable class (the first of them on a tie). */
  label: string;
  /** Probability of every class, keyed by class label. */
  probabilities: Record<string, number>;
  /** The conformal prediction set, most probable first: holds the true class for at least the coverage's share of new rows. Frozen (shared between rows). */
  set?: readonly string[];
}

export interface ValuePrediction {
  value: number;
  /** The same number as value. */
  prediction?: number;
  /** The conformal interval [lo, hi]: holds the true value for at least the coverage's share of new rows. */
  interval?: [number, number];
}

export interface PredictOptions {
  /** Coverage of the intervals or sets (default: the model's, e.g. 0.9). */
  coverage?: number;
}

export type DriftLevel = 'stable' | 'moderate' | 'major';

export interface ColumnDrift {
  name: string;
  psi: number | null;
  psiNoise: number | null;
  outOfRangeShare: number;
  unseenCategories: number;
  unseenExamples: { level: string; share: number }[];
  unseenShare: number;
  missingRateChange: number;
  verdict: DriftLevel;
  reasons: string[];
  bins: { labels: string[]; before: number[]; after: number[] };
}

export interface DriftReport {
  rows: number;
  level: DriftLevel;
  /** One line in words. */
  verdict: string;
  columns: ColumnDrift[];
  predictions?: { psi: number; psiNoise: number; verdict: DriftLevel; bins: ColumnDrift['bins'] };
}

/** The conformal calibration of the model: intervals (regression) or sets (classification) at any coverage. */
export declare class Uncertainty {
  readonly kind: 'interval' | 'set';
  /** Intervals: 'split', 'mondrian' (one width per bin of predicted value) or 'cqr' (two quantile GBDTs); sets: 'lac'. */
  readonly method: string;
  /** The coverage predict uses by default. */
  readonly coverage: number;
  /**
   * The probability at which a class enters the set at a coverage (classification): a class above it
   * is in the set; one exactly at it only when its raw (uncalibrated) probabilities break the tie its way.
   */
  setCutoff(coverage?: number): number;
}

export declare class DriftMonitor {
  /** Adds scored rows (and their predictions; null for rows that could not be scored). */
  add(rows: readonly unknown[], predictions?: readonly (Prediction | null)[]): void;
  report(): DriftReport;
  readonly batches: number;
}

export type Prediction = ClassPrediction | ValuePrediction;

/** Why a row cannot be scored; row is 1-based. */
export interface RowError {
  row: number;
  column?: string;
  message: string;
}

export interface InputColumn {
  name: string;
  type: 'numeric' | 'boolean' | 'categorical' | 'datetime' | 'text';
  levels?: string[];
  levelsTruncated?: boolean;
  falseLevel?: string;
  trueLevel?: string;
  missingShare?: number;
}

export interface RawPredictions {
  values: Float64Array;
  proba?: Float64Array;
  /** Conformalised quantile regression: the quantile models' predictions. */
  quantiles?: { lo: Float64Array; hi: Float64Array };
  kept: number[];
  errors: RowError[];
}

export declare class SieveModel {
  readonly task: 'binary' | 'multiclass' | 'regression';
  readonly target: string;
  readonly classes: string[];
  readonly metric: string;
  readonly created: string;
  readonly appVersion: string;
  readonly inputColumns: string[];
  readonly input: InputColumn[];
  readonly sha256: string;
  /** JSON Schema of one input row. */
  readonly schema: Record<string, unknown>;
  /** Problems that keep rows from being scored ([] when all are fine). */
  validate(rows: readonly unknown[] | Row): RowError[];
  /** One prediction per row; throws an InputError if any row does not fit the schema. */
  predict(rows: readonly unknown[] | Row, options?: PredictOptions): Prediction[];
  /** Scores the rows that fit and lists the others (their prediction is null). */
  score(rows: readonly unknown[] | Row, options?: PredictOptions): { predictions: (Prediction | null)[]; errors: RowError[] };
  /** Whether the bundle carries a training profile for the drift check. */
  readonly hasDriftProfile: boolean;
  /** The conformal calibration (null in bundles made before Sieve calibrated intervals and sets). */
  readonly uncertainty: Uncertainty | null;
  /** A drift monitor of scored rows against the training profile; window: keep the last that many batches. */
  driftMonitor(window?: number): DriftMonitor;
  /** The numbers behind predict() for the rows that fit. */
  predictRaw(rows: readonly unknown[] | Row): RawPredictions;
}

export declare class InputError extends Error {
  /** The first 100 problems (validate() and predict() list at most 100). */
  readonly errors: RowError[];
  /** Every problem found, listed in \`errors\` or not. */
  readonly problems: number;
  /** Rows that cannot be scored. */
  readonly badRows: number;
}

export declare class ModelFileError extends Error {}

export interface LoadOptions {
  /** Check model.json against its recorded SHA-256 (default true). */
  verify?: boolean;
}

export type ModelSource = string | URL | Uint8Array | ArrayBuffer | object;

/** Loads a model: model.json beside predict.mjs by default, or a path (Node), URL, bytes, text or object. */
export declare function loadModel(source?: ModelSource, options?: LoadOptions): Promise<SieveModel>;
export declare function loadModelSync(source: string | Uint8Array | ArrayBuffer | object, options?: LoadOptions): SieveModel;
export declare function sha256Hex(data: Uint8Array | string): string;
`;
