/**
 * Operations on a family's declared search space (ParamSpace[]): which dimensions are active for a
 * configuration (conditional parameters), drawing uniform values, a grid over each dimension, and the
 * unit-interval encoding the TPE sampler models densities in.
 */
import type { ParamSpace, ParamValue, Params } from '../models/types.ts';
import type { Rng } from '../util/random.ts';

export function isActive(dim: ParamSpace, params: Params): boolean {
  if (!dim.condition) return true;
  return dim.condition.values.includes(params[dim.condition.param] ?? null);
}

/** Uniform draw of one dimension (log-uniform where the dimension says log). */
export function sampleDimension(dim: ParamSpace, rng: Rng): ParamValue {
  if (dim.type === 'categorical') return dim.choices[rng.int(dim.choices.length)];
  return fromUnit(dim, rng.next());
}

/** Maps u in [0, 1) to the dimension's range. */
export function fromUnit(dim: ParamSpace, u: number): ParamValue {
  if (dim.type === 'categorical') return dim.choices[Math.min(dim.choices.length - 1, Math.floor(u * dim.choices.length))];
  const v = dim.log ? Math.exp(Math.log(dim.low) + u * (Math.log(dim.high) - Math.log(dim.low))) : dim.low + u * (dim.high - dim.low);
  if (dim.type === 'int') return Math.min(dim.high, Math.max(dim.low, Math.round(v)));
  return Math.min(dim.high, Math.max(dim.low, v));
}

/** The inverse of fromUnit for numeric dimensions. */
export function toUnit(dim: ParamSpace, value: ParamValue): number {
  if (dim.type === 'categorical') {
    const i = dim.choices.indexOf(value);
    return (Math.max(0, i) + 0.5) / dim.choices.length;
  }
  const v = Number(value);
  const u = dim.log ? (Math.log(v) - Math.log(dim.low)) / (Math.log(dim.high) - Math.log(dim.low)) : (v - dim.low) / (dim.high - dim.low);
  return Math.min(1, Math.max(0, u));
}

/** Draws every active dimension, conditions resolved in declaration order, on top of `base`. */
export function sampleConfig(space: ParamSpace[], base: Params, rng: Rng): Params {
  const params: Params = { ...base };
  for (const dim of space) {
    if (isActive(dim, params)) params[dim.name] = sampleDimension(dim, rng);
  }
  return params;
}

/** `points` values per numeric dimension (log-spaced where log), every choice of a categorical one. */
export function gridValues(dim: ParamSpace, points: number): ParamValue[] {
  if (dim.type === 'categorical') return [...dim.choices];
  const out: ParamValue[] = [];
  for (let i = 0; i < points; i++) {
    const v = fromUnit(dim, points === 1 ? 0.5 : i / (points - 1));
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

/** A stable text key for a configuration (deduplicating trials). */
export function configKey(family: string, params: Params, features?: string): string {
  const keys = Object.keys(params).sort();
  return `${family}|${keys.map((k) => `${k}=${formatValue(params[k])}`).join(',')}|${features ?? ''}`;
}

function formatValue(v: ParamValue): string {
  return typeof v === 'number' ? Number(v.toPrecision(6)).toString() : String(v);
}
