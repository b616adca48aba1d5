/**
 * The MLP's training loop, written for accelerators: tfjs' `model.fit` pays a per-batch sync and
 * callbacks (tens of milliseconds a batch on WebGPU, shared TOOLCHAIN.md), so this loop instead
 * - uploads the training rows once and keeps them on the device; each epoch uploads only a shuffled
 *   index vector and each batch is a device-side gather;
 * - steps with `optimizer.minimize` (Adam) inside `tf.tidy`, never reading a number back per batch;
 * - reads the validation loss only every `evalEvery` epochs (at least MIN_STEPS_PER_READ optimiser
 *   steps apart), which is when early stopping decides and the best weights are snapshotted on the device.
 * Everything random (initial weights, the validation hold-out, shuffles, dropout masks) comes from one
 * seeded Rng, so a seed gives the same network on the same backend.
 */
import { Rng, range } from '../../util/random.ts';
import { tf } from '../tf.ts';
import type { FitControl } from '../shared/fit-control.ts';
import type { FitProgress } from '../types.ts';
import { forward, initLayers, rowLoss, type Activation, type DenseLayer, type OutputLink, type TensorLayer } from './network.ts';

const MIN_STEPS_PER_READ = 8;
const MIN_STEPS_PER_EPOCH = 8;
const MIN_BATCH = 32;
/** A validation loss must beat the best by this relative margin to count as progress. */
const MIN_RELATIVE_IMPROVEMENT = 1e-4;

export interface TrainInput {
  X: Float32Array;
  rows: number;
  cols: number;
  /** Targets [rows, outputs]: standardised value, 0/1, or one-hot. */
  Y: Float32Array;
  outputs: number;
  /** Row weights with mean 1. */
  w: Float32Array;
  /** Class per row, to stratify the validation hold-out (classification); null for regression. */
  strata: Float64Array | null;
  hidden: number[];
  activation: Activation;
  link: OutputLink;
  dropout: number;
  learningRate: number;
  alpha: number;
  batchSize: number;
  maxEpochs: number;
  patience: number;
  validationFraction: number;
  seed: number;
  control: FitControl;
  onProgress?: (p: FitProgress) => void;
}

export interface TrainResult {
  layers: DenseLayer[];
  epochs: number;
  /** Epoch whose weights were kept (the best validation loss), or the last epoch without validation. */
  bestEpoch: number;
  bestValidationLoss: number | null;
  stoppedEarly: boolean;
  stoppedAtDeadline: boolean;
}

export async function trainMlp(input: TrainInput): Promise<TrainResult> {
  const rng = new Rng(input.seed);
  const { trainRows, validRows } = holdOut(input.rows, input.strata, input.validationFraction, rng);
  const sizes = [input.cols, ...input.hidden, input.outputs];
  const owned: tf.Tensor[] = [];
  const own = <T extends tf.Tensor>(t: T): T => {
    owned.push(t);
    return t;
  };
  const stopper = new EarlyStopping();
  const optimizer = tf.train.adam(input.learningRate);
  try {
    const train = upload(input, trainRows, own);
    const valid = validRows.length ? upload(input, validRows, own) : null;
    const layers = initVariables(sizes, rng, own);
    const variables = layers.flatMap((l) => [l.W, l.b]) as tf.Variable[];

    const nTrain = trainRows.length;
    // Small data sets: shrink the batch so an epoch still has a few optimiser steps (an epoch of one
    // full batch would learn almost nothing per epoch and early stopping would give up too soon).
    const batchSize = Math.min(input.batchSize, Math.max(MIN_BATCH, Math.ceil(nTrain / MIN_STEPS_PER_EPOCH)));
    const stepsPerEpoch = Math.ceil(nTrain / batchSize);
    const evalEvery = Math.max(1, Math.ceil(MIN_STEPS_PER_READ / stepsPerEpoch));
    const context: EpochContext = { input, train, nTrain, batchSize, layers, variables, optimizer, rng };
    let epoch = 0;
    let stoppedEarly = false;
    let stoppedAtDeadline = false;
    for (epoch = 1; epoch <= input.maxEpochs; epoch++) {
      if (!(await trainEpoch(context))) {
        stoppedAtDeadline = true;
        epoch--;
        break;
      }
      if (epoch % evalEvery !== 0 && epoch !== input.maxEpochs) continue;
      if (!valid) {
        input.onProgress?.({ iteration: epoch, total: input.maxEpochs });
        continue;
      }
      const loss = await validationLoss(valid, layers, input);
      if (!Number.isFinite(loss)) throw new Error('mlp: training diverged (non-finite validation loss); try a smaller learning_rate');
      input.onProgress?.({ iteration: epoch, total: input.maxEpochs, validationLoss: loss });
      if (stopper.shouldStop(loss, epoch, variables, evalEvery, input.patience)) {
        stoppedEarly = true;
        break;
      }
    }
    epoch = Math.min(epoch, input.maxEpochs);
    const snapshot = stopper.snapshot;
    return {
      layers: await readLayers(snapshot ?? variables, sizes),
      epochs: epoch,
      bestEpoch: snapshot ? stopper.bestEpoch : epoch,
      bestValidationLoss: snapshot ? stopper.best : null,
      stoppedEarly,
      stoppedAtDeadline,
    };
  } finally {
    stopper.dispose();
    optimizer.dispose();
    for (const t of owned) t.dispose();
  }
}

/** Rows, targets and weights of one row set, on the device. */
interface DeviceRows {
  X: tf.Tensor2D;
  Y: tf.Tensor2D;
  w: tf.Tensor1D;
}

function upload(input: TrainInput, rows: Int32Array, own: <T extends tf.Tensor>(t: T) => T): DeviceRows {
  return {
    X: own(tf.tensor2d(takeRows(input.X, rows, input.cols), [rows.length, input.cols])),
    Y: own(tf.tensor2d(takeRows(input.Y, rows, input.outputs), [rows.length, input.outputs])),
    w: own(tf.tensor1d(takeRows(input.w, rows, 1))),
  };
}

/** The layers' weights and biases as trainable variables, initialised from `rng`. */
function initVariables(sizes: number[], rng: Rng, own: <T extends tf.Tensor>(t: T) => T): TensorLayer[] {
  return initLayers(sizes, rng).map((l) => {
    const W = tf.tensor2d(l.weights, [l.inputs, l.outputs]);
    const b = tf.tensor1d(l.bias);
    const layer = { W: own(tf.variable(W)) as tf.Variable<tf.Rank.R2>, b: own(tf.variable(b)) as tf.Variable<tf.Rank.R1> };
    W.dispose();
    b.dispose();
    return layer;
  });
}

/** What every epoch of one training run shares. */
interface EpochContext {
  input: TrainInput;
  train: DeviceRows;
  nTrain: number;
  batchSize: number;
  layers: TensorLayer[];
  variables: tf.Variable[];
  optimizer: tf.Optimizer;
  rng: Rng;
}

/** One epoch of optimiser steps over a fresh shuffle; false when the deadline cut it short. */
async function trainEpoch(c: EpochContext): Promise<boolean> {
  const { input, train, nTrain, batchSize, layers, rng } = c;
  const perm = tf.tensor1d(rng.shuffle(range(nTrain)), 'int32');
  try {
    for (let start = 0; start < nTrain; start += batchSize) {
      input.control.throwIfAborted();
      if (input.control.pastDeadline()) return false;
      const size = Math.min(batchSize, nTrain - start);
      const dropoutSeed = rng.nextUint32();
      tf.tidy(() => {
        const idx = tf.slice(perm, start, size);
        const xb = tf.gather(train.X, idx);
        const yb = tf.gather(train.Y, idx);
        const wb = tf.gather(train.w, idx);
        c.optimizer.minimize(
          () => {
            const z = forward(xb, layers, input.activation, { rate: input.dropout, seed: dropoutSeed });
            const dataLoss = tf.mean(tf.mul(wb, rowLoss(z, yb, input.link))) as tf.Scalar;
            if (input.alpha <= 0) return dataLoss;
            const penalty = tf.addN(layers.map((l) => tf.sum(tf.square(l.W))));
            return tf.add(dataLoss, tf.mul(penalty, input.alpha / 2)) as tf.Scalar;
          },
          false,
          c.variables,
        );
      });
      await input.control.maybeYield();
    }
    return true;
  } finally {
    perm.dispose();
  }
}

async function validationLoss(valid: DeviceRows, layers: TensorLayer[], input: TrainInput): Promise<number> {
  const loss = tf.tidy(() => tf.mean(tf.mul(valid.w, rowLoss(forward(valid.X, layers, input.activation), valid.Y, input.link))));
  try {
    return (await loss.data())[0];
  } finally {
    loss.dispose();
  }
}

/** Early stopping on the validation loss, with a device-side snapshot of the best weights. */
class EarlyStopping {
  best = Infinity;
  bestEpoch = 0;
  snapshot: tf.Tensor[] | null = null;
  private sinceBest = 0;

  /** Records the loss read at `epoch` (every `evalEvery` epochs); true once `patience` epochs passed without progress. */
  shouldStop(loss: number, epoch: number, variables: tf.Variable[], evalEvery: number, patience: number): boolean {
    if (loss < this.best - MIN_RELATIVE_IMPROVEMENT * Math.abs(this.best) || this.best === Infinity) {
      this.best = loss;
      this.bestEpoch = epoch;
      this.sinceBest = 0;
      this.snapshot?.forEach((t) => t.dispose());
      this.snapshot = variables.map((v) => tf.clone(v));
      return false;
    }
    this.sinceBest += evalEvery;
    return this.sinceBest >= patience;
  }

  dispose(): void {
    this.snapshot?.forEach((t) => t.dispose());
  }
}

/** The trained weights, read back from the device. */
async function readLayers(tensors: tf.Tensor[], sizes: number[]): Promise<DenseLayer[]> {
  const values = await Promise.all(tensors.map((t) => t.data()));
  const dense: DenseLayer[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    dense.push({ inputs: sizes[l], outputs: sizes[l + 1], weights: Array.from(values[2 * l]), bias: Array.from(values[2 * l + 1]) });
  }
  return dense;
}

/**
 * Rows held out for early stopping: `fraction` of each class (stratified) or of all rows. Too few
 * rows (under 20) for a meaningful hold-out → none, and training runs the full epochs.
 */
function holdOut(n: number, strata: Float64Array | null, fraction: number, rng: Rng): { trainRows: Int32Array; validRows: Int32Array } {
  if (fraction <= 0 || n < 20) return { trainRows: range(n), validRows: new Int32Array(0) };
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const g = strata ? strata[i] : 0;
    let list = groups.get(g);
    if (!list) groups.set(g, (list = []));
    list.push(i);
  }
  const valid: number[] = [];
  const train: number[] = [];
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    const rows = rng.shuffle(groups.get(key)!);
    const take = rows.length > 1 ? Math.round(rows.length * fraction) : 0;
    rows.forEach((r, i) => (i < take ? valid : train).push(r));
  }
  if (valid.length === 0) return { trainRows: range(n), validRows: new Int32Array(0) };
  return { trainRows: Int32Array.from(train.sort((a, b) => a - b)), validRows: Int32Array.from(valid.sort((a, b) => a - b)) };
}

function takeRows(data: Float32Array, rows: Int32Array, width: number): Float32Array {
  const out = new Float32Array(rows.length * width);
  for (let k = 0; k < rows.length; k++) out.set(data.subarray(rows[k] * width, rows[k] * width + width), k * width);
  return out;
}
