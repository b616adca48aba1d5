/**
 * model.onnx with a calibrator and a decision rule (fitted here on the training slice's
 * predictions against perturbed labels, which is all this test needs) against Sieve's runtime, in ONNX Runtime, on every test
 * row: Platt, temperature and isotonic calibration, a tuned threshold, a multiclass cost matrix.
 */
import { describe, expect, it } from 'vitest';
import { fitCalibrator, type CalibrationMethod } from '../../../../src/core/eval/calibration.ts';
import type { DecisionRuleJSON } from '../../../../src/core/eval/decision-rule.ts';
import { compare, fitSlice, modelFile, onnxOf, runBoth } from './helpers.ts';

async function check(dataset: string, method: CalibrationMethod, rule?: DecisionRuleJSON): Promise<void> {
  const f = await fitSlice(dataset, [{ family: 'gbdt', params: { max_iter: 10 }, weight: 1 }], 300);
  const train = await f.model.predictUncalibrated(f.data.frame, f.trainRows);
  // Labels for the calibrator: the model's own predicted classes with every third row moved to another
  // class, so the fitted curve is far from the identity (any labels serve: what is compared is the graph).
  const K = f.project.nClasses;
  const yIdx = Float64Array.from(train.values, (v, i) => (i % 3 === 0 ? (v + 1) % K : v));
  f.model.calibration = fitCalibrator(method, train.proba!, yIdx, f.project.nClasses);
  expect(f.model.calibration.method).toBe(method);
  f.model.decision = rule;
  const file = modelFile(f);
  const result = onnxOf(file);
  if (!result.ok) throw new Error(result.reason);
  const { sieve, onnx } = await runBoth(f, file, result.onnx.bytes);
  const parity = compare(file, sieve, onnx);
  expect(parity.outside, `${parity.outside} values beyond 1e-5 (max ${parity.maxRel})`).toBe(0);
  expect(parity.labelDiffs).toBe(parity.nearTies);
}

describe('model.onnx applies calibration and the decision rule as the runtime does', () => {
  it('Platt scaling and a tuned threshold (titanic)', () => check('titanic', 'platt', { positive: 1, threshold: 0.3 }));
  it('isotonic calibration and a threshold on class 0 (pima_diabetes)', () => check('pima_diabetes', 'isotonic', { positive: 0, threshold: 0.7 }));
  it('temperature scaling and a cost matrix (penguins)', () =>
    check('penguins', 'platt', {
      costMatrix: [
        [0, 1, 5],
        [2, 0, 1],
        [1, 3, 0],
      ],
    }));
  it('isotonic per class (iris)', () => check('iris', 'isotonic'));
});
