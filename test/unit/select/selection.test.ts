import { describe, expect, it } from 'vitest';
import { discretise, mutualInformation, mutualInformationScores, pearson, redundantPairs } from '../../../src/core/select/filter.ts';
import { decideFeatures, type FeatureEvidence } from '../../../src/core/select/selection.ts';
import { Rng } from '../../../src/core/util/random.ts';

describe('filters', () => {
  it('mutual information: high for a copy, near the shuffled baseline for noise', () => {
    const rng = new Rng(2);
    const n = 3000;
    const y = Float64Array.from({ length: n }, () => rng.int(2));
    const copy = Float64Array.from(y, (v) => v + rng.normal() * 0.1);
    const noise = Float64Array.from({ length: n }, () => rng.normal());
    const [c, z] = mutualInformationScores(
      [
        { name: 'copy', values: copy, categorical: false },
        { name: 'noise', values: noise, categorical: false },
      ],
      y,
      true,
      0,
    );
    expect(c.mi).toBeGreaterThan(0.6); // ln 2 = 0.693 for a perfect copy of a fair coin
    expect(z.mi).toBeLessThan(3 * z.baseline + 0.01);
  });

  it('MI of independent codings is ~0 and of identical codings is the entropy', () => {
    const a = discretise(Float64Array.from([0, 1, 0, 1, 0, 1, 0, 1]), true);
    expect(mutualInformation(a.codes, a.k, a.codes, a.k)).toBeCloseTo(Math.log(2), 12);
    const b = discretise(Float64Array.from([0, 0, 1, 1, 0, 0, 1, 1]), true);
    expect(mutualInformation(a.codes, a.k, b.codes, b.k)).toBeCloseTo(0, 12);
  });

  it('finds redundant pairs by correlation', () => {
    const x = Float64Array.from({ length: 100 }, (_, i) => i);
    const y = Float64Array.from(x, (v) => 2 * v + 1);
    expect(pearson(x, y)).toBeCloseTo(1, 12);
    expect(
      redundantPairs([
        { name: 'x', values: x, categorical: false },
        { name: 'y', values: y, categorical: false },
      ]),
    ).toHaveLength(1);
  });
});

describe('decideFeatures', () => {
  it('drops columns with no permutation importance and says why; keeps interaction-only ones', () => {
    const evidence = new Map<string, FeatureEvidence>([
      ['signal', { name: 'signal', permutation: [0.1, 0.12, 0.09, 0.11, 0.1] }],
      // Matters only jointly with another column: no marginal MI, but permutation sees it.
      ['interaction', { name: 'interaction', permutation: [0.03, 0.04, 0.02, 0.05, 0.03], mi: { name: 'interaction', mi: 0.001, baseline: 0.001 } }],
      ['noise', { name: 'noise', permutation: [-0.001, 0, -0.002, -0.0005, 0], mi: { name: 'noise', mi: 0.001, baseline: 0.0012 } }],
    ]);
    const d = decideFeatures(['signal', 'interaction', 'noise'], evidence, []);
    expect(d.selected).toEqual(['signal', 'interaction']);
    expect(d.dropped).toEqual([{ name: 'noise', reason: 'no information: permutation importance ≤ 0 in 5/5 folds' }]);
  });

  it('keeps a column the probe never split on: no gain and no permutation effect is no evidence', () => {
    const evidence = new Map<string, FeatureEvidence>([
      ['signal', { name: 'signal', permutation: [0.1, 0.12, 0.09], gain: 0.9 }],
      // Acts only through an interaction a small probe did not find: never split on.
      ['unused', { name: 'unused', permutation: [0, 0, 0], gain: 0, mi: { name: 'unused', mi: 0.001, baseline: 0.001 } }],
      // Split on, and shuffling it does not hurt: dropped.
      ['noise', { name: 'noise', permutation: [0, -0.001, 0], gain: 0.002, mi: { name: 'noise', mi: 0.001, baseline: 0.001 } }],
    ]);
    const d = decideFeatures(['signal', 'unused', 'noise'], evidence, []);
    expect(d.selected).toEqual(['signal', 'unused']);
    expect(d.dropped.map((x) => x.name)).toEqual(['noise']);
  });

  it('drops the less useful of a redundant pair', () => {
    const evidence = new Map<string, FeatureEvidence>([
      ['a', { name: 'a', permutation: [0.1, 0.1, 0.1] }],
      ['b', { name: 'b', permutation: [0.01, 0.02, 0.015] }],
    ]);
    const d = decideFeatures(['a', 'b'], evidence, [{ a: 'a', b: 'b', correlation: 0.995 }]);
    expect(d.selected).toEqual(['a']);
    expect(d.dropped[0].reason).toMatch(/redundant: correlation 0.995 with "a"/);
  });

  it('never drops every column', () => {
    const evidence = new Map<string, FeatureEvidence>([['only', { name: 'only', permutation: [0, 0, 0] }]]);
    expect(decideFeatures(['only'], evidence, []).selected).toEqual(['only']);
  });
});
