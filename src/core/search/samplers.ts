/**
 * Samplers propose the next configuration of one family. They know nothing about models: they see the
 * search space and the history of (params, loss) pairs, as Optuna's samplers do.
 *
 * - grid: a coarse grid (3 values per numeric dimension, all choices), visited in a seeded order.
 * - random: independent uniform / log-uniform draws.
 * - tpe: Tree-structured Parzen Estimator (Bergstra et al. 2011), independent per dimension: the best
 *   gamma-fraction of trials forms l(x), the rest g(x), both Parzen windows in the unit-encoded space;
 *   the candidate with the highest l/g ratio among 24 draws from l wins. Random until 8 trials exist.
 */
import type { ParamSpace, Params } from '../models/types.ts';
import { Rng } from '../util/random.ts';
import { configKey, fromUnit, gridValues, isActive, sampleConfig, toUnit } from './space.ts';

export type SearchStrategy = 'grid' | 'random' | 'tpe';

export interface Observation {
  params: Params;
  /** Lower is better. */
  loss: number;
}

export interface Sampler {
  readonly strategy: SearchStrategy;
  /** The next configuration, or null when the sampler has nothing new to offer (an exhausted grid). */
  suggest(history: Observation[], tried: Set<string>): Params | null;
}

export function createSampler(strategy: SearchStrategy, family: string, space: ParamSpace[], base: Params, seed: number): Sampler {
  switch (strategy) {
    case 'grid':
      return new GridSampler(family, space, base, seed);
    case 'random':
      return new RandomSampler(family, space, base, seed);
    case 'tpe':
      return new TpeSampler(family, space, base, seed);
  }
}

const MAX_DRAWS = 50;

export class RandomSampler implements Sampler {
  readonly strategy: SearchStrategy = 'random';
  private readonly rng: Rng;
  constructor(
    private readonly family: string,
    private readonly space: ParamSpace[],
    private readonly base: Params,
    seed: number,
  ) {
    this.rng = new Rng(seed);
  }

  suggest(_history: Observation[], tried: Set<string>): Params | null {
    for (let i = 0; i < MAX_DRAWS; i++) {
      const p = sampleConfig(this.space, this.base, this.rng);
      if (!tried.has(configKey(this.family, p))) return p;
    }
    return null;
  }
}

export class GridSampler implements Sampler {
  readonly strategy: SearchStrategy = 'grid';
  private readonly queue: Params[];
  constructor(
    private readonly family: string,
    space: ParamSpace[],
    base: Params,
    seed: number,
    pointsPerDimension = 3,
  ) {
    // Expand unconditional dimensions first, then conditional ones where their condition holds.
    let configs: Params[] = [{ ...base }];
    for (const dim of space) {
      const values = gridValues(dim, pointsPerDimension);
      const next: Params[] = [];
      for (const c of configs) {
        if (!isActive(dim, c)) next.push(c);
        else for (const v of values) next.push({ ...c, [dim.name]: v });
      }
      configs = next;
      if (configs.length > 20000) break; // a grid that large is never finished; the seeded order samples it
    }
    this.queue = new Rng(seed).shuffle(configs);
  }

  get size(): number {
    return this.queue.length;
  }

  suggest(_history: Observation[], tried: Set<string>): Params | null {
    while (this.queue.length > 0) {
      const p = this.queue.shift()!;
      if (!tried.has(configKey(this.family, p))) return p;
    }
    return null;
  }
}

export class TpeSampler implements Sampler {
  readonly strategy: SearchStrategy = 'tpe';
  private readonly rng: Rng;
  private readonly random: RandomSampler;
  constructor(
    private readonly family: string,
    private readonly space: ParamSpace[],
    private readonly base: Params,
    seed: number,
    private readonly startupTrials = 8,
    private readonly candidates = 24,
  ) {
    this.rng = new Rng(seed);
    this.random = new RandomSampler(family, space, base, seed + 1);
  }

  suggest(history: Observation[], tried: Set<string>): Params | null {
    const finite = history.filter((h) => Number.isFinite(h.loss));
    if (finite.length < this.startupTrials) return this.random.suggest(history, tried);
    const sorted = [...finite].sort((a, b) => a.loss - b.loss);
    // gamma(n) = min(ceil(0.1 n), 25), Optuna's default split between good and bad trials.
    const nGood = Math.max(1, Math.min(25, Math.ceil(0.1 * sorted.length)));
    const good = sorted.slice(0, nGood).map((h) => h.params);
    const bad = sorted.slice(nGood).map((h) => h.params);
    for (let attempt = 0; attempt < MAX_DRAWS; attempt++) {
      const params: Params = { ...this.base };
      for (const dim of this.space) {
        if (!isActive(dim, params)) continue;
        const goodU = good.filter((p) => p[dim.name] !== undefined).map((p) => toUnit(dim, p[dim.name]));
        const badU = bad.filter((p) => p[dim.name] !== undefined).map((p) => toUnit(dim, p[dim.name]));
        params[dim.name] = fromUnit(dim, this.bestCandidate(dim, goodU, badU));
      }
      if (!tried.has(configKey(this.family, params))) return params;
    }
    return this.random.suggest(history, tried);
  }

  /** Draws candidates from l(x) and keeps the one maximising l(x) / g(x). */
  private bestCandidate(dim: ParamSpace, good: number[], bad: number[]): number {
    if (dim.type === 'categorical') {
      const k = dim.choices.length;
      const weights = (us: number[]): number[] => {
        const w = new Array<number>(k).fill(1); // Laplace prior
        for (const u of us) w[Math.min(k - 1, Math.floor(u * k))]++;
        const s = w.reduce((a, b) => a + b, 0);
        return w.map((x) => x / s);
      };
      const l = weights(good);
      const g = weights(bad);
      let best = 0;
      let bestScore = -Infinity;
      for (let c = 0; c < this.candidates; c++) {
        let r = this.rng.next();
        let i = 0;
        while (i < k - 1 && r >= l[i]) r -= l[i++];
        const score = Math.log(l[i]) - Math.log(g[i]);
        if (score > bestScore) {
          bestScore = score;
          best = i;
        }
      }
      return (best + 0.5) / k;
    }
    const lBw = bandwidth(good.length);
    const gBw = bandwidth(bad.length);
    let best = 0.5;
    let bestScore = -Infinity;
    for (let c = 0; c < this.candidates; c++) {
      // Sample l(x): the prior (uniform) with weight 1, else a kernel around a good point.
      const pick = this.rng.int(good.length + 1);
      const u = pick === good.length ? this.rng.next() : clamp01(good[pick] + lBw * this.rng.normal());
      const score = Math.log(parzen(u, good, lBw)) - Math.log(parzen(u, bad, gBw));
      if (score > bestScore) {
        bestScore = score;
        best = u;
      }
    }
    return best;
  }
}

function bandwidth(n: number): number {
  // Scott-like rule in the unit interval, with a floor so a few points still explore.
  return Math.max(0.05, Math.min(0.5, 1.06 * 0.3 * Math.pow(Math.max(1, n), -0.2)));
}

/** Density of a mixture: uniform prior (weight 1) plus one Gaussian kernel per point. */
function parzen(u: number, points: number[], bw: number): number {
  let s = 1;
  const norm = 1 / (bw * Math.sqrt(2 * Math.PI));
  for (const p of points) s += norm * Math.exp(-0.5 * ((u - p) / bw) ** 2);
  return s / (points.length + 1);
}

function clamp01(u: number): number {
  return Math.min(0.999999, Math.max(0, u));
}
