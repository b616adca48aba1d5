/**
 * What the scheduler expects a trial to cost, in seconds and in memory: measured trial times once a
 * family has run (scaled by the row share), before that the static cost model of plan.ts calibrated
 * on this machine by the families that have run. Reproducible runs use neither measurement, so that
 * timing noise never changes their course.
 */
import { getFamily } from '../models/registry.ts';
import { STORE_FAMILIES } from '../models/trees/binned-store.ts';
import type { FamilyName } from '../models/types.ts';
import { estimatedTrialSeconds, trainRowsPerFit, type EvaluationPlan } from './plan.ts';
import { trialCost, type TrialLedger } from './trial-ledger.ts';

/** The largest training matrix (Float64 bytes) a non-store trial may build on a large table: 128 MB. */
export const TRIAL_MATRIX_BYTES = 128 * 2 ** 20;

/** The table and plan the costs are of. */
export interface CostBasis {
  plan: EvaluationPlan;
  searchRows: number;
  features: string[];
  /** Use measured trial times (off for reproducible --max-trials runs). */
  useMeasuredTimes: boolean;
}

/**
 * The highest rung whose training matrix a family may build on a large table. GBDT and the forests
 * read the shared binned store (one byte a cell, already there); every other family preprocesses
 * its rows into a Float64 matrix (naive Bayes one column per input, the one-hot families about two
 * and a half), and in a browser tab that matrix, its Float32 copy and the WASM heap that holds the
 * tensors (which never shrinks) add up: a linear trial on 800,000 rows would build ~1 GB. Capped at
 * TRIAL_MATRIX_BYTES; below k-fold's sizes every rung fits.
 */
export function memoryRung(basis: Pick<CostBasis, 'plan' | 'searchRows' | 'features'>, family: FamilyName): number {
  const rungs = basis.plan.rungs;
  if (basis.plan.validation !== 'holdout' || STORE_FAMILIES.has(family)) return rungs.length - 1;
  const width = basis.features.length * (getFamily(family).needs.categorical === 'onehot' ? 2.5 : 1);
  const rows = trainRowsPerFit(basis.plan, basis.searchRows);
  for (let r = rungs.length - 1; r > 0; r--) if (rows * rungs[r] * width * 8 <= TRIAL_MATRIX_BYTES) return r;
  return 0;
}

export class CostModel {
  constructor(
    private readonly basis: CostBasis,
    private readonly ledger: TrialLedger,
    /** The families searched: those measured calibrate the static model for the rest. */
    private readonly families: readonly FamilyName[],
  ) {}

  /** The static cost model's seconds for one trial of the family on full rows. */
  staticSeconds(family: FamilyName): number {
    return estimatedTrialSeconds(family, this.basis.searchRows, this.basis.features.length, this.basis.plan.folds);
  }

  /**
   * Expected seconds of one trial of the family at a fidelity: the mean of its measured trials
   * (scaled by the row share), or the calibrated static model before it has run; 0 when unknown, and
   * always 0 in a reproducible run.
   */
  expectedSeconds(family: FamilyName, fidelity: number): number {
    if (!this.basis.useMeasuredTimes) return 0;
    const own = this.measured(family);
    if (own !== null) return own * fidelity;
    let ratio = 0;
    let n = 0;
    for (const f of this.families) {
      const m = this.measured(f);
      // A trial under a second is mostly fixed overhead (messages to the worker, pipeline set-up, the
      // fold loop) and says nothing about cost per cell: scaled up, it would price every family not
      // yet run out of a short budget. Nor does a trial whose modelled cost is a few hundredths of a
      // second (bench/README.md has the runs that showed both).
      if (m !== null && m >= 1 && this.staticSeconds(f) >= 0.25) {
        ratio += m / this.staticSeconds(f);
        n++;
      }
    }
    return n > 0 ? (ratio / n) * this.staticSeconds(family) * fidelity : 0;
  }

  /** expectedSeconds, or the uncalibrated static model where nothing has been measured yet (never 0). */
  guessSeconds(family: FamilyName, fidelity: number): number {
    const measured = this.expectedSeconds(family, fidelity);
    if (measured > 0) return measured;
    return this.staticSeconds(family) * fidelity;
  }

  /** The highest rung whose expected trial time fits `seconds` (the lowest when none does). */
  rungWithin(family: FamilyName, seconds: number): number {
    const rungs = this.basis.plan.rungs;
    for (let r = rungs.length - 1; r > 0; r--) if (this.guessSeconds(family, rungs[r]) <= seconds) return r;
    return 0;
  }

  memoryRung(family: FamilyName): number {
    return memoryRung(this.basis, family);
  }

  /** Mean seconds per full-row trial of the family's reported (not failed) trials, or null. */
  private measured(family: FamilyName): number | null {
    const done = this.ledger.all().filter((r) => r.spec.family === family && r.result && r.result.status !== 'failed');
    if (done.length === 0) return null;
    return done.reduce((a, r) => a + trialCost(r.result!) / Math.max(0.05, r.spec.fidelity), 0) / done.length;
  }
}
