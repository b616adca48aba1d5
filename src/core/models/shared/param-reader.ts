/**
 * Up-front parameter validation for every model family, in scikit-learn's style: every bad value is
 * reported with its name, the value given and what is allowed, before any work starts.
 */
import type { ParamValue, Params } from '../types.ts';

export class ParamReader {
  constructor(
    private readonly family: string,
    private readonly params: Params,
    private readonly defaults: Params,
  ) {
    for (const key of Object.keys(params)) {
      if (!(key in defaults)) {
        const known = Object.keys(defaults).sort().join(', ');
        throw new Error(`${family}: unknown parameter '${key}'; known parameters: ${known}`);
      }
    }
  }

  private raw(name: string): ParamValue {
    return name in this.params ? this.params[name] : this.defaults[name];
  }

  private fail(name: string, value: ParamValue, expected: string): never {
    throw new Error(`${this.family}: parameter ${name}=${JSON.stringify(value)} is invalid; expected ${expected}`);
  }

  /** Integer in [min, max]; null allowed only when `nullable` (returned as null). */
  int(name: string, min: number, max?: number): number;
  int(name: string, min: number, max: number, nullable: true): number | null;
  int(name: string, min: number, max = Number.MAX_SAFE_INTEGER, nullable = false): number | null {
    const v = this.raw(name);
    if (v === null && nullable) return null;
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.fail(name, v, `an integer ${range}${nullable ? ' or null' : ''}`);
    }
    return v;
  }

  /** Finite number with bounds; `lowOpen`/`highOpen` exclude the bound itself. */
  float(name: string, low: number, high: number, opts: { lowOpen?: boolean; highOpen?: boolean } = {}): number {
    const v = this.raw(name);
    const okLow = opts.lowOpen ? (v as number) > low : (v as number) >= low;
    const okHigh = opts.highOpen ? (v as number) < high : (v as number) <= high;
    if (typeof v !== 'number' || !Number.isFinite(v) || !okLow || !okHigh) {
      const l = `${opts.lowOpen ? '(' : '['}${low}`;
      const h = `${Number.isFinite(high) ? high : 'inf'}${opts.highOpen || !Number.isFinite(high) ? ')' : ']'}`;
      this.fail(name, v, `a number in ${l}, ${h}`);
    }
    return v;
  }

  /** One of a fixed set of values. */
  choice<T extends ParamValue>(name: string, choices: readonly T[]): T {
    const v = this.raw(name);
    if (!choices.includes(v as T)) this.fail(name, v, `one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`);
    return v as T;
  }

  /** A value as given (for parameters with mixed types that the caller checks itself). */
  value(name: string): ParamValue {
    return this.raw(name);
  }

  invalid(name: string, expected: string): never {
    this.fail(name, this.raw(name), expected);
  }

  /** The full, resolved parameter set (defaults filled in). */
  resolved(): Params {
    return { ...this.defaults, ...this.params };
  }
}
