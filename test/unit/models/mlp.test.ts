import { describe, expect, it } from 'vitest';
import { LinearEstimator } from '../../../src/core/models/linear/index.ts';
import { MlpEstimator, mlpFamily } from '../../../src/core/models/mlp/index.ts';
import { denseProduct } from '../../../src/core/models/mlp/network.ts';
import { tf } from '../../../src/core/models/tf.ts';
import type { FitProgress } from '../../../src/core/models/types.ts';
import { accuracyOf, r2Of, softmaxData, xorData } from '../../helpers/synthetic.ts';
import { useWasmBackend } from './tf-setup.ts';

useWasmBackend();

const SMALL = { hidden_units: 16, hidden_layers: 2, max_epochs: 150, learning_rate: 0.01 };

describe('mlp family', () => {
  it('learns XOR, which a linear model cannot', async () => {
    const train = xorData(800, 1);
    const test = xorData(400, 2);
    const mlp = new MlpEstimator('binary', { ...SMALL, dropout: 0 });
    await mlp.fit(train.X, train.y, 2, { seed: 1 });
    const linear = new LinearEstimator('binary');
    await linear.fit(train.X, train.y, 2);
    expect(accuracyOf(test.y, await mlp.predict(test.X))).toBeGreaterThan(0.9);
    expect(accuracyOf(test.y, await linear.predict(test.X))).toBeLessThan(0.7);
  });

  it('fits a non-linear regression and a multiclass problem', async () => {
    const { X } = xorData(600, 3);
    const y = Float64Array.from(X.columns[0], (v, i) => 3 * v * v - 2 * X.columns[1][i] + 5);
    const reg = new MlpEstimator('regression', { ...SMALL, dropout: 0 });
    await reg.fit(X, y, 0, { seed: 2 });
    expect(r2Of(y, await reg.predict(X))).toBeGreaterThan(0.9);

    const multi = softmaxData(
      600,
      [
        [3, 0],
        [0, 3],
        [-3, -3],
      ],
      4,
    );
    const m = new MlpEstimator('multiclass', SMALL);
    await m.fit(multi.X, multi.y, 3, { seed: 3 });
    expect(accuracyOf(multi.y, await m.predict(multi.X))).toBeGreaterThan(0.8);
    const p = await m.predictProba(multi.X);
    expect(p[0] + p[1] + p[2]).toBeCloseTo(1, 5);
  });

  it('stops early on the validation loss and keeps the best epoch', async () => {
    const { X, y } = softmaxData(
      400,
      [
        [0, 0],
        [1, -1],
      ],
      5,
    );
    const seen: FitProgress[] = [];
    const est = new MlpEstimator('binary', { hidden_units: 32, max_epochs: 2000, patience: 5, learning_rate: 0.03 });
    await est.fit(X, y, 2, { seed: 4, onProgress: (p) => seen.push(p) });
    const info = est.trainingInfo();
    expect(info.epochs).toBeLessThan(2000);
    expect(info.bestEpoch).toBeLessThanOrEqual(info.epochs);
    expect(info.bestValidationLoss).toBe(Math.min(...seen.map((p) => p.validationLoss!)));
  });

  it('gives the same network for the same seed (dropout included) and another for another seed', async () => {
    const { X, y } = softmaxData(
      200,
      [
        [0, 0],
        [1, 1],
      ],
      6,
    );
    const params = { ...SMALL, max_epochs: 10, dropout: 0.3 };
    const fit = async (seed: number) => {
      const est = new MlpEstimator('binary', params);
      await est.fit(X, y, 2, { seed });
      return est;
    };
    const a = await fit(7);
    expect((await fit(7)).toJSON()).toEqual(a.toJSON());
    expect((await fit(8)).toJSON()).not.toEqual(a.toJSON());
    const back = mlpFamily.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    expect(await back.predictProba!(X)).toEqual(await a.predictProba(X));
  });

  it('leaves no tensor behind after fit and predict (variables and optimiser state included)', async () => {
    const { X, y } = softmaxData(
      200,
      [
        [0, 0],
        [1, 1],
        [-1, 1],
      ],
      7,
    );
    const before = tf.memory().numTensors;
    const est = new MlpEstimator('multiclass', { ...SMALL, max_epochs: 5 });
    await est.fit(X, y, 3, { seed: 1 });
    await est.predict(X);
    await est.predictProba(X);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('honours the deadline and the abort signal, freeing its tensors either way', async () => {
    const { X, y } = softmaxData(
      200,
      [
        [0, 0],
        [1, 1],
      ],
      8,
    );
    const before = tf.memory().numTensors;
    const late = new MlpEstimator('binary', SMALL);
    await late.fit(X, y, 2, { deadline: Date.now() - 1 });
    expect(late.trainingInfo().epochs).toBe(0);
    const controller = new AbortController();
    controller.abort();
    await expect(new MlpEstimator('binary', SMALL).fit(X, y, 2, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(tf.memory().numTensors).toBe(before);
  });

  it("computes the dense layer's gradient exactly as tfjs' own matMul gradient does", () => {
    for (const outputs of [1, 5]) {
      const a = tf.randomNormal([7, 4], 0, 1, 'float32', 1) as tf.Tensor2D;
      const W = tf.randomNormal([4, outputs], 0, 1, 'float32', 2) as tf.Tensor2D;
      const R = tf.randomNormal([7, outputs], 0, 1, 'float32', 3);
      const ours = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(denseProduct(x as tf.Tensor2D, w as tf.Tensor2D), R)))([a, W]);
      const theirs = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), R)))([a, W]);
      ours.forEach((g, i) => {
        expect(g.shape).toEqual(theirs[i].shape);
        const expected = theirs[i].dataSync();
        g.dataSync().forEach((v, j) => expect(v).toBeCloseTo(expected[j], 5));
      });
      tf.dispose([a, W, R, ...ours, ...theirs]);
    }
  });

  it('validates parameters', () => {
    expect(() => new MlpEstimator('binary', { dropout: 1 })).toThrow(/dropout=1 is invalid/);
    expect(() => new MlpEstimator('binary', { activation: 'gelu' })).toThrow(/activation/);
    expect(() => new MlpEstimator('binary', { hidden_units: 2.5 })).toThrow(/hidden_units/);
  });
});
