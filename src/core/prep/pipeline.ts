/**
 * The preprocessing pipeline a model family asks for through its FeatureNeeds, fitted on training
 * rows only and replayed identically on any later frame (validation folds, the test split, a CSV
 * scored in the page or by an exported bundle).
 *
 * Column roles and steps, in order:
 * - identifier columns are left out (they name rows, they do not describe them), as are columns with
 *   no value in the training rows; each exclusion is a note;
 * - datetime → year / month / day of week / hour / epoch seconds (DatetimeExpander);
 * - text → hashed bag of words, 64 buckets (TextHasher), or left out with `text: 'drop'`;
 * - needs.scale: numeric columns get median imputation + missing indicators (Imputer);
 * - needs.categorical 'onehot': categoricals get most-frequent imputation + indicators, then one-hot
 *   (rare levels → __other__) or, above `targetEncodeAbove` levels, out-of-fold target encoding;
 *   'native': ordinal codes (OrdinalEncoder), missing kept as NaN for the learner;
 * - needs.scale: every numeric output except one-hot 0/1 columns is standardised (StandardScaler).
 *
 * Leakage: the pipeline takes the training rows out of the frame *before* fitting any step, so no
 * statistic of another row can reach the fitted state (test/unit/prep/leakage.test.ts checks it).
 */
import { columnByName, takeRows, type Column, type ColumnType, type Frame } from '../data/frame.ts';
import type { FeatureNeeds, Task } from '../models/types.ts';
import { forRows } from './columns.ts';
import { DatetimeExpander } from './datetime.ts';
import { Imputer } from './impute.ts';
import type { FeatureMatrix, FeatureSpec } from './matrix.ts';
import { DEFAULT_ONEHOT, OneHotEncoder, type OneHotOptions } from './onehot.ts';
import { OrdinalEncoder } from './ordinal.ts';
import { StandardScaler } from './scale.ts';
import type { FitContext, PrepStep, StepJSON, TransformOptions } from './step.ts';
import { stepFromJSON } from './steps.ts';
import { DEFAULT_TARGET_ENCODE, TargetEncoder, type TargetEncodeOptions } from './target-encode.ts';
import { encodeTarget, inferTask, targetClasses, type EncodedTarget } from './target.ts';
import { TextHasher } from './text-hash.ts';

export interface PrepConfig {
  onehot: OneHotOptions;
  /** Categorical columns with more distinct training levels than this are target encoded (one-hot families). */
  targetEncodeAbove: number;
  targetEncode: TargetEncodeOptions;
  /** Code-book size for native categoricals (rarest levels beyond it share __other__). */
  maxNativeLevels: number;
  /** Free-text columns: hashed bag of words, or left out. */
  text: 'hash' | 'drop';
  textBuckets: number;
  /** Add `<column>__missing` 0/1 columns where imputation fills values. */
  missingIndicators: boolean;
}

export const DEFAULT_PREP: PrepConfig = {
  onehot: DEFAULT_ONEHOT,
  targetEncodeAbove: 30,
  targetEncode: DEFAULT_TARGET_ENCODE,
  maxNativeLevels: 255,
  text: 'hash',
  textBuckets: 64,
  missingIndicators: true,
};

export interface PipelineOptions {
  target: string;
  /** Candidate input columns (the target and excluded columns may be listed; they are left out). */
  features: string[];
  needs: FeatureNeeds;
  /** Rows to fit on (rows with a target; see rowsWithTarget). */
  trainRows: Int32Array;
  seed: number;
  /** Defaults to inferTask(frame, target). */
  task?: Task;
  /** Class labels in encoder order; defaults to every label present in the frame (see target.ts). */
  classes?: string[];
  /**
   * The target already encoded (in `classes` order) over every frame row, as the resolved project
   * holds it: the training rows' values are read from it instead of encoding the column again.
   */
  encoded?: Float64Array;
  config?: Partial<PrepConfig>;
}

export interface PipelineJSON {
  format: 'sieve-pipeline';
  version: 1;
  target: string;
  task: Task;
  classes: string[];
  needs: FeatureNeeds;
  inputColumns: string[];
  inputTypes: Record<string, ColumnType>;
  features: FeatureSpec[];
  notes: string[];
  steps: StepJSON[];
}

/** Fits the pipeline on `opts.trainRows` of `frame`. */
export function fitPipeline(frame: Frame, opts: PipelineOptions): FittedPipeline {
  const config: PrepConfig = { ...DEFAULT_PREP, ...opts.config };
  const task = opts.task ?? inferTask(frame, opts.target);
  const classes = task === 'regression' ? [] : (opts.classes ?? targetClasses(frame, opts.target));
  if (task !== 'regression' && classes.length < 2) {
    throw new Error(`Target "${opts.target}" needs at least two classes for ${task} classification, found ${classes.length}.`);
  }
  if (opts.trainRows.length === 0) throw new Error('cannot fit preprocessing on zero training rows');
  const notes: string[] = [];
  const inputs = chooseInputs(frame, opts, config, notes);
  const y = opts.encoded ? Float64Array.from(opts.trainRows, (r) => opts.encoded![r]) : encodeTarget(frame, opts.target, task, classes, opts.trainRows).y;
  const ctx = { y, task, nClasses: classes.length, classes, seed: opts.seed };
  const { steps, trained } = fitSteps(takeRows({ rows: frame.rows, columns: inputs }, opts.trainRows), inputs, opts.needs, config, ctx, notes);
  const pipeline = new FittedPipeline(
    {
      format: 'sieve-pipeline',
      version: 1,
      target: opts.target,
      task,
      classes,
      needs: opts.needs,
      inputColumns: inputs.map((c) => c.name),
      inputTypes: Object.fromEntries(inputs.map((c) => [c.name, c.type])),
      features: featureSpecs(
        trained,
        sourcesOf(
          steps,
          inputs.map((c) => c.name),
        ),
      ),
      notes,
    },
    steps,
  );
  // The fit already transformed the training rows (out of fold): kept for transformTrain, so the
  // estimator's training matrix is not built a second time beside this one.
  pipeline.attachTraining(frame.rows, opts.trainRows, trained);
  return pipeline;
}

/**
 * The input columns and their roles, chosen from the training rows only: identifiers, free text when
 * hashing is off, and columns with no value in any training row are left out (each with a note).
 */
function chooseInputs(frame: Frame, opts: PipelineOptions, config: PrepConfig, notes: string[]): Column[] {
  const inputs: Column[] = [];
  for (const name of opts.features) {
    if (name === opts.target) continue;
    const col = columnByName(frame, name);
    if (col.type === 'identifier') {
      notes.push(`"${name}" left out: an identifier column (it names rows, it does not describe them).`);
      continue;
    }
    if (col.type === 'text' && config.text === 'drop') {
      notes.push(`"${name}" left out: free text (text hashing is off).`);
      continue;
    }
    let observed = 0;
    forRows(frame.rows, opts.trainRows, (i) => {
      if (col.storage === 'numeric' ? !Number.isNaN(col.values[i]) : col.codes[i] >= 0) observed++;
    });
    if (observed === 0) {
      notes.push(`"${name}" left out: no value in any training row.`);
      continue;
    }
    if (!inputs.includes(col)) inputs.push(col);
  }
  if (inputs.length === 0) throw new Error(`No usable input columns to predict "${opts.target}" from.`);
  return inputs;
}

/** Fits the steps in order on the training rows (see the file header), each on its predecessor's output. */
function fitSteps(
  trainFrame: Frame,
  inputs: Column[],
  needs: FeatureNeeds,
  config: PrepConfig,
  ctx: FitContext,
  notes: string[],
): { steps: PrepStep[]; trained: Frame } {
  const dates = inputs.filter((c) => c.storage === 'numeric' && c.type === 'datetime').map((c) => c.name);
  const texts = inputs.filter((c) => c.type === 'text').map((c) => c.name);
  const cats = inputs.filter((c) => c.storage === 'categorical' && c.type !== 'text').map((c) => c.name);
  let numerics = inputs.filter((c) => c.storage === 'numeric' && c.type !== 'datetime').map((c) => c.name);
  const steps: PrepStep[] = [];
  let current = trainFrame;
  const run = <S extends PrepStep>(step: S): S => {
    step.fit(current, undefined, ctx);
    current = step.transform(current, { outOfFold: true });
    steps.push(step);
    return step;
  };
  if (dates.length) numerics = numerics.concat(Object.keys(run(new DatetimeExpander(dates)).derivedFrom()));
  const textOutputs = texts.length ? Object.keys(run(new TextHasher(texts, config.textBuckets)).derivedFrom()) : [];
  const toImpute = [...(needs.scale ? numerics : []), ...(needs.categorical === 'onehot' ? cats : [])];
  const indicators = toImpute.length ? run(new Imputer(toImpute, config.missingIndicators)).indicatorColumns() : [];
  let encoded: string[] = [];
  if (cats.length && needs.categorical === 'onehot') {
    const distinct = new Map(cats.map((c) => [c, distinctLevels(current, c)]));
    const wide = cats.filter((c) => distinct.get(c)! > config.targetEncodeAbove);
    const narrow = cats.filter((c) => distinct.get(c)! <= config.targetEncodeAbove);
    for (const c of wide) notes.push(`"${c}": ${distinct.get(c)} levels, target encoded (out-of-fold) instead of one-hot.`);
    if (narrow.length) run(new OneHotEncoder(narrow, config.onehot));
    if (wide.length) encoded = Object.keys(run(new TargetEncoder(wide, config.targetEncode)).derivedFrom());
  } else if (cats.length) {
    run(new OrdinalEncoder(cats, config.maxNativeLevels));
  }
  if (needs.scale) {
    const toScale = [...numerics, ...textOutputs, ...indicators, ...encoded];
    if (toScale.length) run(new StandardScaler(toScale));
  }
  return { steps, trained: current };
}

function distinctLevels(frame: Frame, name: string): number {
  const col = columnByName(frame, name);
  if (col.storage === 'numeric') return new Set(col.values).size;
  const seen = new Uint8Array(col.levels.length);
  let n = 0;
  for (const c of col.codes) {
    if (c >= 0 && !seen[c]) {
      seen[c] = 1;
      n++;
    }
  }
  return n;
}

/** Output column → the input column it came from, through every step. */
function sourcesOf(steps: PrepStep[], inputs: string[]): Map<string, string> {
  const origin = new Map(inputs.map((c) => [c, c]));
  for (const step of steps) {
    for (const [out, src] of Object.entries(step.derivedFrom())) origin.set(out, origin.get(src) ?? src);
  }
  return origin;
}

function featureSpecs(frame: Frame, origin: Map<string, string>): FeatureSpec[] {
  return frame.columns.map((col): FeatureSpec => {
    const source = origin.get(col.name) ?? col.name;
    return col.storage === 'numeric'
      ? { name: col.name, kind: 'numeric', source }
      : { name: col.name, kind: 'categorical', nLevels: col.levels.length, source };
  });
}

export class FittedPipeline {
  private trainRows: Int32Array | null = null;
  private fitFrameRows = -1;
  /** The training rows as the fit left them, until transformTrain hands them out (once). */
  private trained: Frame | null = null;

  constructor(
    private readonly meta: Omit<PipelineJSON, 'steps'>,
    private readonly steps: PrepStep[],
  ) {}

  get target(): string {
    return this.meta.target;
  }
  get task(): Task {
    return this.meta.task;
  }
  get classes(): string[] {
    return this.meta.classes;
  }
  get nClasses(): number {
    return this.meta.classes.length;
  }
  get needs(): FeatureNeeds {
    return this.meta.needs;
  }
  /** The raw columns the pipeline reads (a frame to transform must have all of them). */
  get inputColumns(): string[] {
    return this.meta.inputColumns;
  }
  /** Each input column's type at training time (the model's input schema). */
  get inputTypes(): Record<string, ColumnType> {
    return this.meta.inputTypes;
  }
  /** The features the estimator sees, in order. */
  get features(): FeatureSpec[] {
    return this.meta.features;
  }
  /**
   * Each ordinally encoded column's levels in code order, for the columns where every code is one
   * level (no shared "other" code). Empty for pipelines without ordinal codes.
   */
  get codeBooks(): Map<string, string[]> {
    const books = new Map<string, string[]>();
    for (const step of this.steps) {
      if (!(step instanceof OrdinalEncoder)) continue;
      for (const e of step.toJSON().encodings) if (!e.other) books.set(e.column, e.levels);
    }
    return books;
  }

  /** What the pipeline decided and why (columns left out, target-encoded columns). */
  get notes(): string[] {
    return this.meta.notes;
  }

  /** @internal Remembers the training rows (and, from the fit, their transformed frame) for transformTrain. */
  attachTraining(frameRows: number, trainRows: Int32Array, trained: Frame | null = null): void {
    this.fitFrameRows = frameRows;
    this.trainRows = trainRows;
    this.trained = trained;
  }

  /** Forgets the training rows (and any transformed copy of them) once the estimator is fitted. */
  detachTraining(): void {
    this.trainRows = null;
    this.trained = null;
  }

  /** Features of `rows` (every row when omitted) for scoring; statistics from training only. */
  transform(frame: Frame, rows?: ArrayLike<number>): FeatureMatrix {
    return this.run(frame, rows, {});
  }

  /**
   * Features of the training rows for fitting the estimator: like transform(frame, trainRows), but
   * target-encoded columns get out-of-fold values. Only on a freshly fitted pipeline, with the same frame.
   */
  transformTrain(frame: Frame): FeatureMatrix {
    if (!this.trainRows) throw new Error('transformTrain is only available on a freshly fitted pipeline (not one loaded from JSON)');
    if (frame.rows !== this.fitFrameRows) {
      throw new Error(`transformTrain needs the frame the pipeline was fitted on (${this.fitFrameRows} rows, got ${frame.rows})`);
    }
    const trained = this.trained;
    this.trained = null;
    return trained ? toMatrix(trained, this.meta.features) : this.run(frame, this.trainRows, { outOfFold: true });
  }

  /** The encoded target of `rows` (every row when omitted); rows with a missing target are an error. */
  targetVector(frame: Frame, rows?: ArrayLike<number>): EncodedTarget {
    return encodeTarget(frame, this.meta.target, this.meta.task, this.meta.classes, rows);
  }

  private run(frame: Frame, rows: ArrayLike<number> | undefined, opts: TransformOptions): FeatureMatrix {
    const missing = this.meta.inputColumns.filter((name) => !frame.columns.some((c) => c.name === name));
    if (missing.length) {
      const list = missing.map((m) => `"${m}"`).join(', ');
      throw new Error(`The data is missing column${missing.length > 1 ? 's' : ''} ${list}, which the model needs as input${missing.length > 1 ? 's' : ''}.`);
    }
    const inputs = this.meta.inputColumns.map((name) => frame.columns.find((c) => c.name === name)!);
    let current: Frame = { rows: frame.rows, columns: inputs };
    if (rows) current = takeRows(current, rows);
    for (const step of this.steps) current = step.transform(current, opts);
    return toMatrix(current, this.meta.features);
  }

  toJSON(): PipelineJSON {
    return { ...this.meta, steps: this.steps.map((s) => s.toJSON()) };
  }

  static fromJSON(json: PipelineJSON): FittedPipeline {
    if (json.format !== 'sieve-pipeline') throw new Error(`not a Sieve pipeline (format "${String(json.format)}")`);
    if (json.version !== 1) throw new Error(`unsupported pipeline version ${String(json.version)}`);
    const { steps, ...meta } = json;
    return new FittedPipeline(meta, steps.map(stepFromJSON));
  }
}

function toMatrix(frame: Frame, features: FeatureSpec[]): FeatureMatrix {
  if (frame.columns.length !== features.length) {
    throw new Error(`preprocessing produced ${frame.columns.length} features, expected ${features.length}`);
  }
  const columns = frame.columns.map((col, j) => {
    if (col.name !== features[j].name) throw new Error(`preprocessing produced feature "${col.name}" where "${features[j].name}" was expected`);
    if (col.storage === 'numeric') return col.values;
    // A plain loop: Float64Array.from with a mapping function is several times slower in V8.
    const out = new Float64Array(col.codes.length);
    for (let i = 0; i < out.length; i++) out[i] = col.codes[i] < 0 ? NaN : col.codes[i];
    return out;
  });
  return { rows: frame.rows, features, columns };
}
