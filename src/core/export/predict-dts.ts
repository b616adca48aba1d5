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
}

export interface ValuePrediction {
  value: number;
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
  predict(rows: readonly unknown[] | Row): Prediction[];
  /** Scores the rows that fit and lists the others (their prediction is null). */
  score(rows: readonly unknown[] | Row): { predictions: (Prediction | null)[]; errors: RowError[] };
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
