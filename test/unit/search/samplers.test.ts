import { describe, expect, it } from 'vitest';
import type { ParamSpace, Params } from '../../../src/core/models/types.ts';
import { createSampler, GridSampler, type Observation } from '../../../src/core/search/samplers.ts';
import { configKey, fromUnit, gridValues, sampleConfig, toUnit } from '../../../src/core/search/space.ts';
import { Rng } from '../../../src/core/util/random.ts';

const space: ParamSpace[] = [
  { name: 'lr', type: 'float', low: 1e-3, high: 1, log: true },
  { name: 'leaves', type: 'int', low: 4, high: 64, log: true },
  { name: 'kind', type: 'categorical', choices: ['a', 'b'] },
  { name: 'extra', type: 'float', low: 0, high: 1, condition: { param: 'kind', values: ['b'] } },
];

describe('search space', () => {
  it('draws inside bounds, integers as integers, conditions honoured', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 200; i++) {
      const p = sampleConfig(space, {}, rng);
      expect(p.lr as number).toBeGreaterThanOrEqual(1e-3);
      expect(p.lr as number).toBeLessThanOrEqual(1);
      expect(Number.isInteger(p.leaves)).toBe(true);
      expect('extra' in p).toBe(p.kind === 'b');
    }
  });

  it('unit encoding round-trips', () => {
    for (const u of [0, 0.25, 0.5, 0.9]) expect(toUnit(space[0], fromUnit(space[0], u))).toBeCloseTo(u, 9);
  });

  it('grid values are log-spaced for log dimensions', () => {
    expect(gridValues(space[0], 3)).toEqual([1e-3, Math.sqrt(1e-3), 1].map((v) => expect.closeTo(v, 9)));
  });
});

describe('grid sampler', () => {
  it('enumerates every combination once, then stops', () => {
    const g = new GridSampler('f', space, {}, 0, 3);
    // lr 3 × leaves 3 × (kind a + kind b × extra 3) = 9 × 4
    expect(g.size).toBe(36);
    const seen = new Set<string>();
    for (;;) {
      const p = g.suggest([], seen);
      if (!p) break;
      seen.add(configKey('f', p));
    }
    expect(seen.size).toBe(36);
  });
});

/** A 2-D objective with its optimum at lr = 0.1, leaves = 32. */
function objective(p: Params): number {
  return (Math.log10(p.lr as number) + 1) ** 2 + (Math.log2(p.leaves as number) - 5) ** 2 / 4;
}

function bestAfter(strategy: 'random' | 'tpe', trials: number, seed: number): number {
  const s: ParamSpace[] = space.slice(0, 2);
  const sampler = createSampler(strategy, 'f', s, {}, seed);
  const history: Observation[] = [];
  const tried = new Set<string>();
  for (let i = 0; i < trials; i++) {
    const p = sampler.suggest(history, tried)!;
    tried.add(configKey('f', p));
    history.push({ params: p, loss: objective(p) });
  }
  return Math.min(...history.map((h) => h.loss));
}

describe('TPE', () => {
  it('finds better configurations than random search on a smooth objective', () => {
    let tpeWins = 0;
    let tpeSum = 0;
    let rndSum = 0;
    for (let seed = 0; seed < 10; seed++) {
      const t = bestAfter('tpe', 40, seed);
      const r = bestAfter('random', 40, seed);
      tpeSum += t;
      rndSum += r;
      if (t <= r) tpeWins++;
    }
    expect(tpeSum).toBeLessThan(rndSum);
    expect(tpeWins).toBeGreaterThanOrEqual(6);
  });

  it('is reproducible for a seed', () => {
    expect(bestAfter('tpe', 20, 3)).toBe(bestAfter('tpe', 20, 3));
  });
});
