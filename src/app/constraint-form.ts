/**
 * The Goal step's optional deployment constraints: the largest prediction time per 1,000 rows, the
 * largest bundle, a model a person can read, and monotonic effects of numeric inputs. Free text in,
 * the engine's `constraints` out, with one sentence per mistake.
 */
import type { DeploymentConstraints } from '../core/automl/constraints.ts';
import { clipText } from '../core/export/runtime/message-text.ts';

export interface ConstraintFormValues {
  maxPredictMs: string;
  maxBundleKb: string;
  readable: boolean;
  /** Numeric input → +1 (increasing) or −1 (decreasing); absent: free. */
  monotonic: Record<string, 1 | -1>;
}

export function emptyConstraintForm(): ConstraintFormValues {
  return { maxPredictMs: '', maxBundleKb: '', readable: false, monotonic: {} };
}

export function constraintDefinition(v: ConstraintFormValues | undefined, target: string): { constraints?: DeploymentConstraints; problem: string | null } {
  if (!v) return { problem: null };
  const c: DeploymentConstraints = {};
  for (const [key, text, what] of [
    ['maxPredictMs', v.maxPredictMs, 'The prediction time'],
    ['maxBundleKb', v.maxBundleKb, 'The bundle size'],
  ] as const) {
    const t = text.trim();
    if (!t) continue;
    const n = Number(t);
    if (!Number.isFinite(n) || n <= 0) return { problem: `${what} limit must be a positive number, not “${clipText(text)}”.` };
    c[key] = n;
  }
  if (v.readable) c.readable = true;
  const mono = Object.fromEntries(Object.entries(v.monotonic).filter(([col, d]) => col !== target && (d === 1 || d === -1)));
  if (Object.keys(mono).length) c.monotonic = mono as Record<string, 1 | -1>;
  return Object.keys(c).length ? { constraints: c, problem: null } : { problem: null };
}
