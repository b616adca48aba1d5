/**
 * One fitted model: the preprocessing pipeline plus the estimator, with what a caller needs to read
 * its output (task, class labels). It predicts any frame that has the pipeline's input columns, and
 * serialises to plain JSON (format below), so it can be stored, exported and loaded without tfjs.
 *
 * JSON: { format: 'sieve-fitted-model', version: 1, family, params, target, task, classes,
 *         pipeline: PipelineJSON (prep/pipeline.ts), estimator: SerializedEstimator (each family's
 *         estimator.ts documents its `state`) }
 *
 * (The AutoML engine's FinalModel in automl/model.ts is the multi-member, ensemble form.)
 */
import type { Frame } from '../data/frame.ts';
import { fitPipeline, FittedPipeline, type PipelineJSON, type PrepConfig } from '../prep/pipeline.ts';
import { inferTask } from '../prep/target.ts';
import type { BinnedMatrix } from './trees/binning.ts';
import { getFamily } from './registry.ts';
import { inCodeBooks, storeCovers, storeView, type BinnedStore } from './trees/binned-store.ts';
import type { Estimator, FamilyName, FitOptions, Params, SerializedEstimator, Task } from './types.ts';

export interface FittedModelJSON {
  format: 'sieve-fitted-model';
  version: 1;
  family: FamilyName;
  params: Params;
  target: string;
  task: Task;
  classes: string[];
  pipeline: PipelineJSON;
  estimator: SerializedEstimator;
}

export interface ModelPrediction {
  /** Class index (classification) or predicted value (regression) per row. */
  values: Float64Array;
  /** Row-major class probabilities (rows * classes), classification only. */
  proba?: Float64Array;
  /** The predicted class label per row, classification only. */
  labels?: string[];
}

export class FittedModel {
  constructor(
    readonly pipeline: FittedPipeline,
    readonly estimator: Estimator,
  ) {
    if (pipeline.task !== estimator.task) {
      throw new Error(`pipeline task "${pipeline.task}" does not match estimator task "${estimator.task}"`);
    }
  }

  get family(): FamilyName {
    return this.estimator.family;
  }
  get task(): Task {
    return this.pipeline.task;
  }
  get target(): string {
    return this.pipeline.target;
  }
  get classes(): string[] {
    return this.pipeline.classes;
  }
  /** The raw columns a frame needs to be scored. */
  get inputColumns(): string[] {
    return this.pipeline.inputColumns;
  }

  /** Predicts `rows` of the frame (every row when omitted). */
  async predict(frame: Frame, rows?: ArrayLike<number>): Promise<ModelPrediction> {
    const X = this.pipeline.transform(frame, rows);
    if (this.task === 'regression') return { values: await this.estimator.predict(X) };
    if (!this.estimator.predictProba) throw new Error(`${this.family}: this estimator gives no class probabilities`);
    const proba = await this.estimator.predictProba(X);
    const K = this.classes.length;
    const values = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (proba[i * K + k] > proba[i * K + best]) best = k;
      values[i] = best;
    }
    return { values, proba, labels: Array.from(values, (c) => this.classes[c]) };
  }

  toJSON(): FittedModelJSON {
    return {
      format: 'sieve-fitted-model',
      version: 1,
      family: this.family,
      params: this.estimator.params,
      target: this.target,
      task: this.task,
      classes: this.classes,
      pipeline: this.pipeline.toJSON(),
      estimator: this.estimator.toJSON(),
    };
  }

  static fromJSON(json: FittedModelJSON): FittedModel {
    if (json?.format !== 'sieve-fitted-model') throw new Error(`not a Sieve fitted model (format "${String(json?.format)}")`);
    if (json.version !== 1) throw new Error(`unsupported fitted-model version ${String(json.version)}`);
    return new FittedModel(FittedPipeline.fromJSON(json.pipeline), getFamily(json.family).fromJSON(json.estimator));
  }

  dispose(): void {
    this.estimator.dispose?.();
  }
}

export interface FitModelOptions {
  target: string;
  family: FamilyName | string;
  params?: Params;
  /** Input columns to consider (default: every column but the target). */
  features?: string[];
  /** Rows to train on (rows with a target). */
  trainRows: Int32Array;
  seed: number;
  task?: Task;
  classes?: string[];
  /** The target already encoded over every frame row (the resolved project's): not encoded again. */
  encoded?: Float64Array;
  prep?: Partial<PrepConfig>;
  fit?: Omit<FitOptions, 'seed'>;
  /**
   * The run's binned inputs: a tree learner whose inputs it holds fits a view of them (no Float64
   * training matrix, no binning of its own); the pipeline is fitted as always, for prediction.
   */
  binned?: BinnedStore;
}

/**
 * Fits the family's pipeline on the training rows, then the estimator on the pipeline's training
 * features (out-of-fold target encodings), all seeded.
 */
export async function fitModel(frame: Frame, opts: FitModelOptions): Promise<FittedModel> {
  const family = getFamily(opts.family);
  const task = opts.task ?? inferTask(frame, opts.target);
  if (!family.tasks.includes(task)) {
    throw new Error(`Model family "${family.name}" cannot do ${task}; it supports ${family.tasks.join(', ')}.`);
  }
  // Creating the estimator first validates its parameters before any work is done.
  const estimator = family.create(task, opts.params ?? {});
  const features = opts.features ?? frame.columns.map((c) => c.name).filter((n) => n !== opts.target);
  const pipeline = fitPipeline(frame, {
    target: opts.target,
    features,
    needs: family.needs,
    trainRows: opts.trainRows,
    seed: opts.seed,
    task,
    classes: opts.classes,
    encoded: opts.encoded,
    config: opts.prep,
  });
  const { y, nClasses } = opts.encoded
    ? { y: Float64Array.from(opts.trainRows, (r) => opts.encoded![r]), nClasses: pipeline.nClasses }
    : pipeline.targetVector(frame, opts.trainRows);
  const view = opts.binned && estimator.fitBinned && !opts.prep ? binnedView(opts.binned, frame, pipeline, opts.trainRows, opts.params) : null;
  if (view) await estimator.fitBinned!(view, y, nClasses, { ...opts.fit, seed: opts.seed });
  else await estimator.fit(pipeline.transformTrain(frame), y, nClasses, { ...opts.fit, seed: opts.seed });
  pipeline.detachTraining();
  return new FittedModel(pipeline, estimator);
}

/** The training rows' view of the store in the pipeline's features and codes, or null where it cannot serve. */
function binnedView(store: BinnedStore, frame: Frame, pipeline: FittedPipeline, rows: Int32Array, params: Params | undefined): BinnedMatrix | null {
  const names = pipeline.features.map((f) => f.name);
  if (!storeCovers(store, names)) return null;
  const maxBins = typeof params?.max_bins === 'number' ? params.max_bins : 255;
  return inCodeBooks(storeView(store, names, rows, maxBins), frame, pipeline.codeBooks);
}
