/**
 * Decides what runs next. Order of business:
 * 1. the portfolio: each family's proven default configurations, cheapest family first, so a useful
 *    leaderboard exists within seconds (the first GBDT also measures permutation importance, which
 *    feeds feature selection);
 * 2. once features are selected, the best configuration of each family again on the selected set;
 * 3. promotions: successive halving (asynchronous, as ASHA) moves the best 1/eta of a rung up;
 * 4. new configurations from the chosen sampler, for a family picked by score and cost.
 */
import type { FamilyName, Params } from '../models/types.ts';
import { getFamily } from '../models/registry.ts';
import { quantileSorted } from '../eval/stats.ts';
import { createSampler, type Sampler, type SearchStrategy } from '../search/samplers.ts';
import { configKey } from '../search/space.ts';
import { Rng } from '../util/random.ts';
import { CostModel } from './cost-model.ts';
import { estimatedTrialSeconds, type EvaluationPlan } from './plan.ts';
import { pickFamily } from './family-choice.ts';
import { nextPromotion, type TrialDraft } from './promotion.ts';
import { TrialLedger } from './trial-ledger.ts';
import type { FeatureSetName, TrialResult, TrialSpec } from './types.ts';

export interface SchedulerInit {
  families: FamilyName[];
  strategy: SearchStrategy;
  seed: number;
  plan: EvaluationPlan;
  searchRows: number;
  features: string[];
  /** Use measured trial times in decisions (off for reproducible --max-trials runs). */
  useMeasuredTimes: boolean;
  budgetSeconds: number;
  /** +1 when a higher score is better, −1 for losses. */
  sign: 1 | -1;
}

export class Scheduler {
  private nextId = 1;
  private readonly ledger: TrialLedger;
  private readonly costs: CostModel;
  private readonly queue: TrialDraft[] = [];
  private readonly tried = new Set<string>();
  private readonly promoted = new Set<string>();
  private readonly samplers = new Map<string, Sampler>();
  private readonly rng: Rng;
  private readonly families: FamilyName[];
  private featureSet: FeatureSetName = 'all';
  private selected: string[];
  selectionDone = false;
  /** Whether the selected features earned their place: 'pending' while the paired reruns are out, then 'kept' or 'reverted'. */
  selectionOutcome: 'none' | 'pending' | 'kept' | 'reverted' = 'none';
  /** The median paired score change (selected − every feature, higher is better) that decided it. */
  selectionEffect = NaN;
  /** Paired reruns: config key on the selected features → the same configuration's score on all. */
  private readonly selectionPairs = new Map<string, { allScore: number; selectedScore?: number }>();
  private probeFamily: FamilyName | null;
  /** Portfolio configurations of each family used so far (later rounds are drawn lazily). */
  private readonly portfolioUsed = new Map<FamilyName, number>();
  /** Families whose sampler has nothing new to offer (an exhausted grid). */
  private readonly exhausted = new Set<FamilyName>();
  /** Search seconds left, as of the last next() call. */
  private secondsLeft = Infinity;

  constructor(private readonly init: SchedulerInit) {
    this.rng = new Rng(init.seed ^ 0x5eed);
    this.selected = init.features;
    // On a large table (a holdout) priced on the lowest rung's sample: a family that fits there is not
    // priced out. Under k-fold the portfolio runs on full rows, so it is priced there.
    const entryShare = this.largeTable ? init.plan.rungs[0] : 1;
    const cost = (f: FamilyName) => estimatedTrialSeconds(f, init.searchRows, init.features.length, init.plan.folds) * entryShare;
    // Families whose single default fit would eat more than half the budget are left out up front.
    this.families = init.families.filter((f) => cost(f) < init.budgetSeconds / 2 || f === 'gbdt' || f === 'linear').sort((a, b) => cost(a) - cost(b));
    this.probeFamily = this.families.includes('gbdt') ? 'gbdt' : (this.families.find((f) => f === 'random_forest' || f === 'extra_trees') ?? null);
    // On a large table (a holdout) the probe goes first: it is the strongest family, its importance
    // drives the feature selection, and a slow linear fit on a million rows must not delay it.
    if (this.largeTable && this.probeFamily) {
      this.families = [this.probeFamily, ...this.families.filter((f) => f !== this.probeFamily)];
    }
    this.ledger = new TrialLedger(init.sign, this.largeTable);
    this.costs = new CostModel(init, this.ledger, this.families);
    // Round one of the portfolio up front; later rounds are drawn lazily for the families that earn
    // them (see newConfig), so weak or slow families do not eat the budget. On a large table each
    // family's first trial runs on the largest row sample expected to report within the first seconds
    // (entryRung), and promotions take it up from there.
    for (const f of this.families) {
      const p = this.portfolio(f)[0];
      if (p) {
        const rung = this.entryRung(f);
        this.enqueue(f, { ...getFamily(f).defaults, ...p }, 'portfolio', this.init.plan.rungs[rung], rung, f === this.probeFamily);
      }
      this.portfolioUsed.set(f, 1);
    }
  }

  /**
   * A family's proven configurations in the order they run. Under a holdout (a large table) GBDT skips
   * its first entry, a small strongly regularised model meant for small tables, and starts with
   * scikit-learn's defaults (31 leaves): a million rows support deeper trees, and the first GBDT trial
   * is the probe whose importance picks the features. The small model comes last.
   */
  private portfolio(family: FamilyName): Params[] {
    const list = getFamily(family).portfolio;
    if (family === 'gbdt' && this.largeTable && list.length > 1) return [...list.slice(1), list[0]];
    return list;
  }

  /**
   * Seconds a family's first trial may take: long enough to be worth it, short enough that every
   * strong family has a score early in the run (a twentieth of the budget, at least 1.5 s).
   */
  private get firstTrialSeconds(): number {
    return Math.max(1.5, this.init.budgetSeconds / 20);
  }

  /**
   * Where a family's first trial runs: under a holdout (a large table) on the largest sample expected
   * within the first seconds; under k-fold on full rows, where the family's scores are compared.
   */
  private entryRung(family: FamilyName): number {
    const top = this.init.plan.rungs.length - 1;
    return this.largeTable ? Math.min(this.costs.rungWithin(family, this.firstTrialSeconds), this.costs.memoryRung(family)) : top;
  }

  /**
   * Where a later proven configuration starts: at full rows under k-fold; under a holdout (a large
   * table) on the largest sample expected within twice the first-trial time, promotions doing the rest.
   */
  private portfolioRung(family: FamilyName): number {
    const top = this.init.plan.rungs.length - 1;
    return this.largeTable ? Math.min(this.costs.rungWithin(family, 2 * this.firstTrialSeconds), this.costs.memoryRung(family)) : top;
  }

  /**
   * The quickest sound model for a budget too short for any trial: the cheapest family's first proven
   * configuration on every feature and row, with no deadline (the caller says so).
   */
  quickestSpec(): TrialSpec | null {
    const cost = (f: FamilyName) => this.costs.staticSeconds(f);
    // Below the large-table sizes, sound first: a regularised linear model fits in a second and is
    // rarely poor, where the cheapest family by the cost model alone can be kNN, whose distances over
    // one-hot and hashed-text columns are a poor model (bench/README.md). On a large table
    // the cheapest (naive Bayes) it is: a one-hot linear fit on every row would take long and build a
    // matrix of gigabytes.
    const family = !this.largeTable && this.families.includes('linear') ? 'linear' : [...this.families].sort((a, b) => cost(a) - cost(b))[0];
    if (!family) return null;
    const spec = getFamily(family);
    const top = this.init.plan.rungs.length - 1;
    const id = this.nextId++;
    const trial: TrialSpec = {
      family,
      params: { ...spec.defaults, ...(spec.portfolio[0] ?? {}) },
      featureSet: 'all',
      features: this.init.features,
      fidelity: 1,
      rung: top,
      origin: 'portfolio',
      computeImportance: false,
      id,
      deadline: Infinity,
      seed: (this.init.seed * 1000003 + id * 7919) >>> 0,
    };
    this.ledger.add(trial);
    return trial;
  }

  /** A large table: trials validated on one holdout, compared across rungs, started on row samples. */
  private get largeTable(): boolean {
    return this.init.plan.validation === 'holdout';
  }

  private get currentFeatures(): { set: FeatureSetName; features: string[] } {
    return { set: this.featureSet, features: this.featureSet === 'all' ? this.init.features : this.selected };
  }

  private enqueue(family: FamilyName, params: Params, origin: TrialSpec['origin'], fidelity: number, rung: number, computeImportance = false): void {
    const { set, features } = this.currentFeatures;
    const key = configKey(family, params, `${set}@${rung}`);
    if (this.tried.has(key)) return;
    this.tried.add(key);
    this.queue.push({ family, params, featureSet: set, features, fidelity, rung, origin, computeImportance });
  }

  /**
   * The next trial, or null if nothing is left that fits. `secondsLeft` is the search time remaining:
   * a trial expected to take longer is not started (it would only be cut).
   */
  next(deadline: number, secondsLeft = Infinity): TrialSpec | null {
    this.secondsLeft = secondsLeft;
    // A queued configuration expected to take over a fifth of the whole budget is dropped: on a large
    // table one slow family's defaults would otherwise crowd out the search of the good ones. The
    // family that leads the leaderboard keeps its configurations: it is the one worth the time.
    const leader = this.ledger.leadingFamily();
    let releasedPair = false;
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const q = this.queue[i];
      // The probe (the strongest family's first trial) is never dropped: on a busy machine a slow
      // trial of a weak family can make every estimate look long, and without the probe a weak model wins.
      if (!q.computeImportance && q.family !== leader && this.costs.expectedSeconds(q.family, q.fidelity) > this.init.budgetSeconds / 5) {
        // On a large table it may fit on a sample of the rows: never price a strong family out when a
        // subsample would do. (Under k-fold the search's own rungs already sample its configurations.)
        const lower = this.costs.rungWithin(q.family, this.init.budgetSeconds / 5);
        if (this.largeTable && lower < q.rung && this.costs.expectedSeconds(q.family, this.init.plan.rungs[lower]) <= this.init.budgetSeconds / 5) {
          const key = configKey(q.family, q.params, `${q.featureSet}@${lower}`);
          if (!this.tried.has(key)) {
            this.tried.add(key);
            q.rung = lower;
            q.fidelity = this.init.plan.rungs[lower];
            continue;
          }
        }
        this.queue.splice(i, 1);
        // A paired rerun that will never run no longer holds up the verdict on the selection.
        if (this.selectionPairs.delete(configKey(q.family, q.params, `${q.featureSet}@${q.rung}`))) releasedPair = true;
      }
    }
    if (releasedPair && this.selectionOutcome === 'pending') this.judgeSelection();
    // On a large table the leader's promotion comes before the other families' queued entries: its
    // best configuration on more rows is worth more than a weak family's first score, and a free
    // worker should not wait for the slow forests to report.
    const leaderFirst = this.largeTable && leader !== undefined ? this.promote(leader) : null;
    const qi = leaderFirst ? -1 : this.queue.findIndex((q) => this.costs.expectedSeconds(q.family, q.fidelity) <= secondsLeft);
    const queued = qi >= 0 ? this.queue.splice(qi, 1)[0] : undefined;
    const base = leaderFirst ?? queued ?? this.promote() ?? this.newConfig();
    if (!base) return null;
    const id = this.nextId++;
    const spec: TrialSpec = { ...base, id, deadline, seed: (this.init.seed * 1000003 + id * 7919) >>> 0 };
    this.ledger.add(spec);
    return spec;
  }

  record(result: TrialResult): void {
    const r = this.ledger.get(result.id);
    if (!r) return;
    r.result = result;
    if (this.selectionOutcome === 'pending' && r.spec.featureSet === 'selected') {
      const pair = this.selectionPairs.get(configKey(r.spec.family, r.spec.params, `selected@${r.spec.rung}`));
      if (pair && pair.selectedScore === undefined) {
        pair.selectedScore = result.status === 'ok' ? result.score : NaN;
        this.judgeSelection();
      }
    }
  }

  /**
   * Feature selection is a choice the search must confirm, not a given: once every paired rerun has
   * reported, the selection stays only if the median family scores at least as well on the selected
   * features as on all of them (the median, so one distance-based family that always gains from fewer
   * inputs does not outvote the rest). On small tables the permutation test can drop weak but real
   * predictors, and cross-validation says so.
   */
  private judgeSelection(): void {
    const pairs = [...this.selectionPairs.values()];
    if (pairs.some((p) => p.selectedScore === undefined)) return;
    const diffs = pairs
      .filter((p) => Number.isFinite(p.selectedScore) && Number.isFinite(p.allScore))
      .map((p) => (p.selectedScore! - p.allScore) * this.init.sign);
    if (diffs.length === 0) {
      this.selectionOutcome = 'kept';
      return;
    }
    this.selectionEffect = quantileSorted(Float64Array.from(diffs).sort(), 0.5);
    if (this.selectionEffect >= 0) {
      this.selectionOutcome = 'kept';
      return;
    }
    this.selectionOutcome = 'reverted';
    this.featureSet = 'all';
    this.selected = this.init.features;
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const q = this.queue[i];
      const key = configKey(q.family, q.params, `all@${q.rung}`);
      if (this.tried.has(key)) this.queue.splice(i, 1);
      else {
        this.tried.add(key);
        q.featureSet = 'all';
        q.features = this.init.features;
      }
    }
  }

  spec(id: number): TrialSpec | undefined {
    return this.ledger.get(id)?.spec;
  }

  /**
   * Switches later trials to the selected features: the queued portfolio configurations run on them,
   * and each family's best configuration so far is re-run on them first.
   */
  applySelection(selected: string[]): void {
    this.selectionDone = true;
    if (selected.length === this.init.features.length) return;
    this.selected = selected;
    this.featureSet = 'selected';
    for (const q of this.queue) {
      // Moved, not run, on every feature: should the selection be reverted, it runs there after all.
      this.tried.delete(configKey(q.family, q.params, `all@${q.rung}`));
      this.tried.add(configKey(q.family, q.params, `selected@${q.rung}`));
      q.featureSet = 'selected';
      q.features = selected;
    }
    const reruns: typeof this.queue = [];
    for (const f of this.families) {
      const best = this.ledger.bestOf(f);
      if (!best) continue;
      const key = configKey(f, best.spec.params, `selected@${best.spec.rung}`);
      if (this.tried.has(key)) continue;
      this.tried.add(key);
      reruns.push({ ...best.spec, featureSet: 'selected', features: selected, origin: 'portfolio', computeImportance: false });
      this.selectionPairs.set(key, { allScore: best.result!.score });
    }
    this.queue.unshift(...reruns);
    this.selectionOutcome = reruns.length > 0 ? 'pending' : 'kept';
  }

  /** The next promotion up a rung (of `family`'s trials only, when given), or null (promotion.ts). */
  private promote(family?: FamilyName): TrialDraft | null {
    const { ledger, costs, featureSet, promoted, secondsLeft } = this;
    return nextPromotion({ plan: this.init.plan, ledger, costs, featureSet, promoted, secondsLeft }, family);
  }

  /**
   * A family that has run, has proven configurations left and costs little (a trial expected under a
   * twentieth of the budget): its portfolio is finished before any sampling. Drawn lazily through
   * pickFamily alone, a cheap family's strong later defaults could wait behind a slower family that
   * happened to lead after round one, and never run.
   */
  private cheapPortfolioFamily(): FamilyName | null {
    const leader = this.largeTable ? this.ledger.leadingFamily() : undefined;
    const leaderLoss = leader ? this.ledger.lossOf(this.ledger.bestOf(leader)!) : Infinity;
    for (const f of this.families) {
      if ((this.portfolioUsed.get(f) ?? 0) >= this.portfolio(f).length) continue;
      const runs = this.ledger.all().filter((r) => r.spec.family === f && r.result);
      if (runs.length === 0 || !runs.some((r) => r.result!.status === 'ok')) continue;
      // On a large table a worker is precious: only a family within 1 % of the leader finishes its
      // portfolio ahead of the search.
      if (this.largeTable && leader && f !== leader) {
        const best = this.ledger.bestOf(f);
        if (!best || this.ledger.lossOf(best) - leaderLoss > 0.01 * Math.max(1e-9, Math.abs(leaderLoss))) continue;
      }
      const expected = this.costs.expectedSeconds(f, 1);
      if (expected <= this.init.budgetSeconds / 20 && expected <= this.secondsLeft) return f;
    }
    return null;
  }

  private newConfig(): TrialDraft | null {
    for (let attempt = 0; attempt < 8; attempt++) {
      const family = this.cheapPortfolioFamily() ?? this.pickFamily();
      if (!family) return null;
      const spec = getFamily(family);
      // The family's next proven configuration comes before anything sampled.
      const round = this.portfolioUsed.get(family) ?? 0;
      const portfolio = this.portfolio(family);
      if (round < portfolio.length) {
        this.portfolioUsed.set(family, round + 1);
        const params = { ...spec.defaults, ...portfolio[round] };
        const rung = this.portfolioRung(family);
        const k = configKey(family, params, `${this.featureSet}@${rung}`);
        if (this.tried.has(k)) continue;
        this.tried.add(k);
        const { set, features } = this.currentFeatures;
        return { family, params, featureSet: set, features, fidelity: this.init.plan.rungs[rung], rung, origin: 'portfolio', computeImportance: false };
      }
      const key = `${family}|${this.featureSet}`;
      let sampler = this.samplers.get(key);
      if (!sampler) {
        sampler = createSampler(this.init.strategy, family, spec.space, spec.defaults, this.rng.nextUint32());
        this.samplers.set(key, sampler);
      }
      const params = sampler.suggest(this.ledger.history(family, this.featureSet), this.ledger.triedKeys(family, this.featureSet));
      if (!params) {
        this.exhausted.add(family);
        continue;
      }
      const rung = 0;
      const fidelity = this.init.plan.rungs[0];
      const k = configKey(family, params, `${this.featureSet}@${rung}`);
      if (this.tried.has(k)) continue;
      this.tried.add(k);
      const { set, features } = this.currentFeatures;
      return { family, params, featureSet: set, features, fidelity, rung, origin: 'search', computeImportance: false };
    }
    return null;
  }

  /** A family to sample a new configuration of (family-choice.ts), or null when none is worth one. */
  private pickFamily(): FamilyName | null {
    const next = (f: FamilyName) =>
      (this.portfolioUsed.get(f) ?? 0) < this.portfolio(f).length ? this.init.plan.rungs[this.portfolioRung(f)] : this.init.plan.rungs[0];
    const families = this.families.filter((f) => !this.exhausted.has(f));
    return pickFamily(families, this.ledger, this.costs, {
      anyRung: this.largeTable,
      nextFidelity: next,
      secondsLeft: this.secondsLeft,
      useMeasuredTimes: this.init.useMeasuredTimes,
      rng: this.rng,
    });
  }
}
