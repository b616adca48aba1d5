/**
 * A loaded model: the fitted pipelines and plain predictors of every member, the input schema, and
 * the blend. It computes exactly what Sieve's FinalModel.predictRows computes (same pipeline code,
 * same prediction code, members summed in order with their weights), then turns it into labelled
 * predictions.
 */
import { FittedPipeline } from '../../prep/pipeline.ts';
import { plainPredictor, type PlainPredictor } from '../../models/plain-predictor.ts';
import type { Task } from '../../models/types.ts';
import { onnxSchemaEntry } from '../onnx/io.ts';
import { applyCalibration } from '../../eval/calibration.ts';
import { checkDecisionRule, decideLabels, type DecisionRuleJSON } from '../../eval/decision-rule.ts';
import { errorMessage } from '../../util/error-message.ts';
import { quoteName } from './message-text.ts';
import { MAX_LISTED_ERRORS, rowsToFrame, type RowsFrame } from './rows-to-frame.ts';
import { toJsonSchema } from './schema.ts';
import type { BundleModelFile, InputColumn, PredictOptions, Prediction, Row, RowError } from './types.ts';
import { DriftMonitor } from './drift-monitor.ts';
import { inSet, type SetRule } from '../../eval/conformal.ts';
import { Uncertainty } from './uncertainty.ts';

/**
 * Thrown by predict() when rows do not fit the schema. `errors` lists the first 100 problems (row,
 * column, reason); `problems` and `badRows` count them all, so the message stays short whatever was sent.
 */
export class InputError extends Error {
  readonly errors: RowError[];
  /** Every problem found, listed in `errors` or not. */
  readonly problems: number;
  /** Rows that cannot be scored. */
  readonly badRows: number;
  constructor(errors: RowError[], counts?: { problems: number; badRows: number }) {
    const rows = counts?.badRows ?? new Set(errors.map((e) => e.row)).size;
    const problems = counts?.problems ?? errors.length;
    const shown = errors
      .slice(0, 3)
      .map((e) => e.message)
      .join('; ');
    super(`${rows} row${rows === 1 ? '' : 's'} cannot be scored: ${shown}${problems > 3 ? `; and ${problems - 3} more` : ''}`);
    this.name = 'InputError';
    this.errors = errors;
    this.problems = problems;
    this.badRows = rows;
  }
}

interface Member {
  weight: number;
  pipeline: FittedPipeline;
  predictor: PlainPredictor;
}

/** Numbers behind the predictions: class probabilities (rows * classes) or values, for scored rows. */
export interface RawPredictions {
  /** Class index (classification) or value (regression) per scored row. */
  values: Float64Array;
  proba?: Float64Array;
  /** Classification: the probabilities before calibration (the same array when there is none); they break ties in the sets. */
  rawProba?: Float64Array;
  /** Conformalised quantile regression: the two quantile models' predictions per scored row. */
  quantiles?: { lo: Float64Array; hi: Float64Array };
  /** Index (0-based, into the rows given) of each scored row. */
  kept: number[];
  errors: RowError[];
}

export class SieveModel {
  readonly task: Task;
  readonly target: string;
  readonly classes: string[];
  readonly metric: string;
  readonly created: string;
  readonly appVersion: string;
  /** The columns a row must have. */
  readonly inputColumns: string[];
  /** Each input column's type and the values seen in training. */
  readonly input: InputColumn[];
  /** SHA-256 of the model, as recorded in model.json. */
  readonly sha256: string;
  readonly #file: BundleModelFile;
  readonly #members: Member[];
  /** Conformal intervals or sets (absent in bundles made before they existed). */
  readonly uncertainty: Uncertainty | null;
  #sharedSets: SharedSets | null = null;
  /** The tuned decision (threshold on P(positive), or a cost matrix) the labels follow; absent: the most probable class. */
  readonly decision?: DecisionRuleJSON;

  constructor(file: BundleModelFile) {
    this.#file = file;
    this.task = file.task;
    this.target = file.target;
    this.classes = [...file.classes];
    this.metric = file.metric;
    this.created = file.created;
    this.appVersion = file.app?.version ?? 'unknown';
    this.input = file.input.columns.map((c) => ({ ...c }));
    this.inputColumns = this.input.map((c) => c.name);
    this.sha256 = file.integrity.model;
    this.uncertainty = file.model.conformal ? new Uncertainty(file.model.conformal) : null;
    if (file.model.decision !== undefined) {
      try {
        this.decision = checkDecisionRule(file.model.decision, this.classes.length);
      } catch (err) {
        throw new Error(`model.json: ${errorMessage(err)}`);
      }
    }
    this.#members = file.model.members.map((m, i) => {
      try {
        const pipeline = FittedPipeline.fromJSON(m.model.pipeline);
        const predictor = plainPredictor(m.model.estimator);
        if (predictor.task !== file.task) throw new Error(`its task is ${predictor.task}, the model's is ${file.task}`);
        const unknown = pipeline.inputColumns.filter((c) => !this.inputColumns.includes(c));
        if (unknown.length) {
          const listed = unknown.slice(0, 5).map(quoteName).join(', ');
          throw new Error(`it reads ${listed}${unknown.length > 5 ? ` and ${unknown.length - 5} more columns` : ''}, which the input schema lacks`);
        }
        return { weight: m.weight, pipeline, predictor };
      } catch (err) {
        throw new Error(`model.json: member ${i + 1} cannot be loaded: ${errorMessage(err)}`);
      }
    });
  }

  /** JSON Schema of one input row (the bundle's schema.json, with model.onnx's inputs and outputs when the bundle has one). */
  get schema(): Record<string, unknown> {
    const schema = toJsonSchema(this.#file.input, `Input row of the Sieve model predicting "${this.target}"`);
    if (this.#file.integrity?.files?.['model.onnx'] !== undefined) schema['x-onnx'] = onnxSchemaEntry(this.#file.input, this.task, this.classes);
    return schema;
  }

  /** Problems that keep rows from being scored ([] when every row is fine): the first 100 of them. */
  validate(rows: readonly unknown[] | Row): RowError[] {
    return rowsToFrame(asRows(rows), this.#file.input, MAX_LISTED_ERRORS).errors;
  }

  /**
   * Predictions for every row; throws an InputError (the first 100 problems, and how many there are)
   * if any row does not fit.
   */
  predict(rows: readonly unknown[] | Row, opts: PredictOptions = {}): Prediction[] {
    const checked = rowsToFrame(asRows(rows), this.#file.input, MAX_LISTED_ERRORS);
    if (checked.errors.length) throw new InputError(checked.errors, checked);
    return this.#label(this.#score(checked), opts.coverage);
  }

  /** Whether the bundle carries a training profile for the drift check. */
  get hasDriftProfile(): boolean {
    return !!this.#file.model.drift;
  }

  /**
   * A drift monitor over scored rows (add(rows, predictions), then report()); `window`: keep only the
   * last that many batches (serve.mjs's last N requests). Throws when the bundle has no training profile.
   */
  driftMonitor(window?: number): DriftMonitor {
    if (!this.#file.model.drift) throw new Error('this bundle has no training profile for a drift check (it was exported before Sieve made one)');
    return new DriftMonitor(this.#file.model.drift, this.#file.input, this.task === 'regression' ? [] : this.classes, window);
  }

  /**
   * Scores the rows that are fine and lists the others: predictions[i] is null for a bad row i. Every
   * problem is listed (one per bad cell, so as long as the input): callers report which rows failed.
   */
  score(rows: readonly unknown[] | Row, opts: PredictOptions = {}): { predictions: (Prediction | null)[]; errors: RowError[] } {
    const list = asRows(rows);
    const raw = this.predictRaw(list);
    const labelled = this.#label(raw, opts.coverage);
    const predictions: (Prediction | null)[] = new Array(list.length).fill(null);
    raw.kept.forEach((r, i) => (predictions[r] = labelled[i]));
    return { predictions, errors: raw.errors };
  }

  /** The numbers behind predict(): what Sieve's FinalModel.predictRows gives for the rows that are fine (every problem listed, as score()). */
  predictRaw(rows: readonly unknown[] | Row): RawPredictions {
    return this.#score(rowsToFrame(asRows(rows), this.#file.input, Infinity));
  }

  #score({ frame, kept, errors }: RowsFrame): RawPredictions {
    if (frame.rows === 0) return { values: new Float64Array(0), proba: this.task === 'regression' ? undefined : new Float64Array(0), kept, errors };
    const classification = this.task !== 'regression';
    const K = this.classes.length;
    const parts = this.#members.map((m) => m.predictor.predict(m.pipeline.transform(frame)));
    let blended: Float64Array;
    if (parts.length === 1) blended = parts[0];
    else {
      // FinalModel.predictRows: a zeroed sum, members in order, each times its weight.
      blended = new Float64Array(parts[0].length);
      this.#members.forEach((m, j) => {
        const part = parts[j];
        for (let i = 0; i < part.length; i++) blended[i] += m.weight * part[i];
      });
    }
    if (!classification) {
      const quantiles = this.uncertainty?.quantiles(frame);
      return quantiles ? { values: blended, quantiles, kept, errors } : { values: blended, kept, errors };
    }
    // FinalModel.finish: calibrated out of fold, then labelled by the tuned decision rule when there is one.
    const proba = applyCalibration(this.#file.model.calibration, blended, K);
    if (this.decision) return { values: decideLabels(this.decision, proba, K), proba, rawProba: blended, kept, errors };
    const values = new Float64Array(frame.rows);
    for (let i = 0; i < frame.rows; i++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (proba[i * K + k] > proba[i * K + best]) best = k;
      values[i] = best;
    }
    return { values, proba, rawProba: blended, kept, errors };
  }

  #label(raw: RawPredictions, coverage?: number): Prediction[] {
    const n = raw.kept.length;
    const out: Prediction[] = new Array(n);
    const u = this.uncertainty;
    if (this.task === 'regression') {
      if (u) {
        const { lower, upper } = u.intervals(raw.values, coverage, raw.quantiles);
        for (let i = 0; i < n; i++) out[i] = { value: raw.values[i], prediction: raw.values[i], interval: [lower[i], upper[i]] };
      } else for (let i = 0; i < n; i++) out[i] = { value: raw.values[i] };
      return out;
    }
    // The set: every class whose probability reaches the conformal cutoff (LAC; ties broken by the raw
    // probabilities), most probable first.
    const rule = u ? u.setRule(coverage) : null;
    const shared = u ? (this.#sharedSets ??= sharedSets(this.classes)) : null;
    const classes = this.classes;
    const K = classes.length;
    const proba = raw.proba!;
    const rawProba = raw.rawProba ?? proba;
    // Plain assignment is the fast path; a class called "__proto__" would set the prototype instead
    // of a key, so then every key is defined explicitly.
    const define = classes.includes('__proto__');
    for (let i = 0; i < n; i++) {
      const probabilities: Record<string, number> = {};
      for (let k = 0; k < K; k++) {
        if (define) Object.defineProperty(probabilities, classes[k], { value: proba[i * K + k], enumerable: true, writable: true, configurable: true });
        else probabilities[classes[k]] = proba[i * K + k];
      }
      out[i] = shared
        ? { label: classes[raw.values[i]], probabilities, set: setOf(proba, rawProba, i, K, rule!, classes, shared) }
        : { label: classes[raw.values[i]], probabilities };
    }
    return out;
  }
}

/**
 * Frozen set arrays shared by every row whose set they are: the empty set, each single class, and
 * (binary) both orders of the pair. Most rows' sets are one of these, so predict allocates no array
 * for them (measured: 5–10 % of a 100-tree GBDT's predict time on adult). Sets are read-only.
 */
interface SharedSets {
  empty: readonly string[];
  single: readonly (readonly string[])[];
  pairs: readonly (readonly string[])[];
}

function sharedSets(classes: string[]): SharedSets {
  return {
    empty: Object.freeze([]),
    single: classes.map((c) => Object.freeze([c])),
    pairs: classes.length === 2 ? [Object.freeze([classes[0], classes[1]]), Object.freeze([classes[1], classes[0]])] : [],
  };
}

/** The classes in the set (inSet), most probable first (ties: model order). Hot: one call per row. */
function setOf(proba: Float64Array, raw: Float64Array, i: number, K: number, rule: SetRule, classes: string[], shared: SharedSets): readonly string[] {
  const base = i * K;
  if (K === 2) {
    const p0 = proba[base];
    const p1 = proba[base + 1];
    const in0 = inSet(rule, proba, raw, i, 2, 0);
    const in1 = inSet(rule, proba, raw, i, 2, 1);
    if (in0 && in1) return shared.pairs[p1 > p0 ? 1 : 0];
    return in0 ? shared.single[0] : in1 ? shared.single[1] : shared.empty;
  }
  // Insertion by probability (K is small): a later class moves ahead only of strictly less probable ones.
  const members: number[] = [];
  for (let k = 0; k < K; k++) {
    const p = proba[base + k];
    if (!inSet(rule, proba, raw, i, K, k)) continue;
    let j = members.length;
    members.push(k);
    while (j > 0 && proba[base + members[j - 1]] < p) {
      members[j] = members[j - 1];
      j--;
    }
    members[j] = k;
  }
  if (members.length === 0) return shared.empty;
  if (members.length === 1) return shared.single[members[0]];
  const out = new Array<string>(members.length);
  for (let j = 0; j < members.length; j++) out[j] = classes[members[j]];
  return Object.freeze(out);
}

function asRows(rows: readonly unknown[] | Row): readonly unknown[] {
  if (Array.isArray(rows)) return rows;
  if (rows !== null && typeof rows === 'object') return [rows];
  throw new TypeError(`predict expects an array of rows (objects keyed by column name), got ${rows === null ? 'null' : typeof rows}`);
}
