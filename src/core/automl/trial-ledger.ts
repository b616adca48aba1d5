/**
 * The scheduler's bookkeeping: every trial it handed out and, once reported, its result; and the
 * questions the scheduling rules ask of them (the leading family, a family's best trial, a sampler's
 * history). Losses are scores turned so that lower is better.
 */
import type { FamilyName } from '../models/types.ts';
import type { Observation } from '../search/samplers.ts';
import { configKey } from '../search/space.ts';
import type { FeatureSetName, TrialResult, TrialSpec } from './types.ts';

export interface TrialRecord {
  spec: TrialSpec;
  result?: TrialResult;
}

/** Seconds a trial took, less the probe's permutation importance (not part of what a fit costs). */
export function trialCost(result: TrialResult): number {
  return result.seconds - (result.importanceSeconds ?? 0);
}

export class TrialLedger {
  private readonly records = new Map<number, TrialRecord>();

  /**
   * `anyRung`: a large table (a holdout), where trials are compared across rungs (it may never reach
   * full rows in the budget); elsewhere only full-fidelity trials count as a family's best.
   */
  constructor(
    private readonly sign: 1 | -1,
    private readonly anyRung: boolean,
  ) {}

  add(spec: TrialSpec): void {
    this.records.set(spec.id, { spec });
  }

  get(id: number): TrialRecord | undefined {
    return this.records.get(id);
  }

  all(): TrialRecord[] {
    return [...this.records.values()];
  }

  /** Of a trial that succeeded, −score × sign; Infinity otherwise. */
  lossOf(r: TrialRecord): number {
    return r.result && r.result.status === 'ok' ? -r.result.score * this.sign : Infinity;
  }

  /** The family of the best full-fidelity trial so far (any rung under a holdout), if any has finished. */
  leadingFamily(): FamilyName | undefined {
    return this.bestWhere(() => true)?.spec.family;
  }

  /** The family's best trial at full rows (under a holdout at any rung). */
  bestOf(family: FamilyName): TrialRecord | undefined {
    return this.bestWhere((r) => r.spec.family === family);
  }

  /** The configurations of a family tried on a feature set (a sampler proposes none of them again). */
  triedKeys(family: FamilyName, featureSet: FeatureSetName): Set<string> {
    const keys = new Set<string>();
    for (const r of this.records.values()) if (r.spec.family === family && r.spec.featureSet === featureSet) keys.add(configKey(family, r.spec.params));
    return keys;
  }

  /** Observations for the sampler: the lowest rung's losses (every search config has one), and the portfolio's. */
  history(family: FamilyName, featureSet: FeatureSetName): Observation[] {
    const out: Observation[] = [];
    for (const r of this.records.values()) {
      if (r.spec.family !== family || !r.result || r.spec.featureSet !== featureSet) continue;
      if (r.spec.rung !== 0 && r.spec.origin !== 'portfolio') continue;
      out.push({ params: r.spec.params, loss: r.result.status === 'ok' ? this.lossOf(r) : Infinity });
    }
    return out;
  }

  private bestWhere(keep: (r: TrialRecord) => boolean): TrialRecord | undefined {
    let best: TrialRecord | undefined;
    for (const r of this.records.values()) {
      if (!keep(r) || (!this.anyRung && r.spec.fidelity < 1) || r.result?.status !== 'ok') continue;
      if (!best || r.result.score * this.sign > best.result!.score * this.sign) best = r;
    }
    return best;
  }
}
