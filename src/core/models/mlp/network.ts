/**
 * The MLP's layers as plain numbers and as tfjs tensors, and its forward pass (shared by training
 * and prediction so both compute exactly the same function).
 *
 * Serialised form (part of the estimator state):
 *   layers: [{ inputs, outputs, weights: number[inputs * outputs] (row-major: weights[i * outputs + o]),
 *              bias: number[outputs] }, ...]
 *   a = x;  for each hidden layer: a = act(a . W + b)  (act: relu = max(0, z), tanh);
 *   last layer: z = a . W + b, then the output link (identity / sigmoid / softmax).
 */
import type { Rng } from '../../util/random.ts';
import { tf } from '../tf.ts';

export type Activation = 'relu' | 'tanh';
export type OutputLink = 'identity' | 'sigmoid' | 'softmax';

export interface DenseLayer {
  inputs: number;
  outputs: number;
  weights: number[];
  bias: number[];
}

/** Glorot-uniform weights (limit sqrt(6 / (fan_in + fan_out))) and zero biases, from the seeded Rng. */
export function initLayers(sizes: number[], rng: Rng): { weights: Float32Array; bias: Float32Array; inputs: number; outputs: number }[] {
  const layers = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const inputs = sizes[l];
    const outputs = sizes[l + 1];
    const limit = Math.sqrt(6 / (inputs + outputs));
    const weights = Float32Array.from({ length: inputs * outputs }, () => rng.uniform(-limit, limit));
    layers.push({ inputs, outputs, weights, bias: new Float32Array(outputs) });
  }
  return layers;
}

export interface TensorLayer {
  W: tf.Tensor2D;
  b: tf.Tensor1D;
}

/**
 * x . W with a hand-written gradient. tfjs' own matMul gradient multiplies with transposeA /
 * transposeB flags, which tfjs-wasm runs 3-15x slower than a plain product of an explicitly transposed
 * operand.
 * The one exception is a single-output layer's weight gradient, where the flag is the faster path.
 */
export const denseProduct = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, W, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, W]);
  return {
    value: tf.matMul(a, W),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [sa, sW] = saved as tf.Tensor2D[];
      const da = tf.matMul(dy, tf.transpose(sW));
      const dW = sW.shape[1] === 1 ? tf.matMul(sa, dy, true, false) : tf.matMul(tf.transpose(sa), dy);
      return [da, dW];
    },
  };
}) as (a: tf.Tensor2D, W: tf.Tensor2D) => tf.Tensor2D;

/** Logits (pre-link outputs); dropout only when `dropout` is given (training). */
export function forward(x: tf.Tensor2D, layers: TensorLayer[], activation: Activation, dropout?: { rate: number; seed: number }): tf.Tensor2D {
  let a: tf.Tensor2D = x;
  layers.forEach((layer, l) => {
    const z = tf.add(denseProduct(a, layer.W), layer.b) as tf.Tensor2D;
    if (l === layers.length - 1) {
      a = z;
      return;
    }
    a = activation === 'relu' ? tf.relu(z) : tf.tanh(z);
    if (dropout && dropout.rate > 0) a = tf.dropout(a, dropout.rate, undefined, dropout.seed + l) as tf.Tensor2D;
  });
  return a;
}

/** Per-row loss of logits z against targets Y: [rows] tensor. */
export function rowLoss(z: tf.Tensor2D, Y: tf.Tensor2D, link: OutputLink): tf.Tensor1D {
  if (link === 'identity') return tf.mul(0.5, tf.sum(tf.square(tf.sub(z, Y)), 1)) as tf.Tensor1D;
  if (link === 'sigmoid') {
    // log(1 + e^z) - z y, written to stay finite for large |z|.
    const l = tf.add(tf.sub(tf.relu(z), tf.mul(z, Y)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
    return tf.sum(l, 1) as tf.Tensor1D;
  }
  return tf.neg(tf.sum(tf.mul(Y, tf.logSoftmax(z)), 1)) as tf.Tensor1D;
}
