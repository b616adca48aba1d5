/**
 * The model an experiment hands over: one FittedModel (pipeline + estimator), or a weighted ensemble
 * of them (Caruana weights), refitted on every search row. It predicts any frame that has the input
 * columns, and serialises to plain JSON (the bundle's model.json):
 *
 *   { format: 'sieve-model', version: 1, target, task, classes,
 *     members: [{ weight, features, model: FittedModelJSON (models/fitted-model.ts) }],
 *     calibration?: CalibratorJSON (eval/calibration.ts), decision?: DecisionRuleJSON (eval/decision-rule.ts) }
 *
 * A classifier's probabilities are the blend of its members, then calibrated (when a calibrator was
 * fitted out of fold); its labels are the most probable class, or what the decision rule says.
 */
import type { BinnedStore } from '../models/trees/binned-store.ts';
import type { Frame } from '../data/frame.ts';
import { argmaxRows, type Prediction } from '../eval/metrics.ts';
import { fitModel, FittedModel, type FittedModelJSON } from '../models/fitted-model.ts';
import type { FamilyName, Params, Task } from '../models/types.ts';
import type { Conformal } from '../eval/conformal.ts';
import type { DriftProfile } from '../drift/profile.ts';
import { applyCalibration, type CalibratorJSON } from '../eval/calibration.ts';
import { decideLabels, type DecisionRuleJSON } from '../eval/decision-rule.ts';

export interface MemberSpec {
  weight: number;
  family: FamilyName;
  params: Params;
  features: string[];
}

export interface FinalModelOptions {
  target: string;
  task: Task;
  classes: string[];
  /** The encoded target over every frame row (the resolved project's); absent: each member encodes the column. */
  encoded?: Float64Array;
  trainRows: Int32Array;
  seed: number;
  /** Absolute ms; fits stop (keeping what they have) past it. */
  deadline?: number;
  members: MemberSpec[];
  /** The run's binned inputs, which tree members fit on (see fitModel). */
  binned?: BinnedStore;
}

export interface FinalModelJSON {
  format: 'sieve-model';
  version: 1;
  target: string;
  task: Task;
  classes: string[];
  members: { weight: number; features: string[]; model: FittedModelJSON }[];
  /** Conformal intervals or sets calibrated out of fold (automl/trust.ts); absent in older models. */
  conformal?: Conformal;
  /** The training profile the drift check compares scored rows with (drift/profile.ts). */
  drift?: DriftProfile;
  calibration?: CalibratorJSON;
  decision?: DecisionRuleJSON;
}

export interface FinalMember {
  weight: number;
  features: string[];
  model: FittedModel;
}

export class FinalModel {
  /** Set by the experiment after the test split is scored (automl/trust.ts); travels in toJSON. */
  trust: { conformal?: Conformal; drift?: DriftProfile } = {};
  /** Maps the blended probabilities to calibrated ones (fitted out of fold; classification only). */
  calibration?: CalibratorJSON;
  /** Turns probabilities into labels (tuned threshold or cost matrix); absent: the most probable class. */
  decision?: DecisionRuleJSON;

  constructor(
    readonly target: string,
    readonly task: Task,
    readonly classes: string[],
    readonly members: FinalMember[],
  ) {}

  get nClasses(): number {
    return this.classes.length;
  }

  get isEnsemble(): boolean {
    return this.members.length > 1;
  }

  /** The raw input columns the model reads (union over members). */
  get inputColumns(): string[] {
    return [...new Set(this.members.flatMap((m) => m.model.inputColumns))];
  }

  /**
   * Predictions for `rows` of the frame (every row when omitted): the weighted mean over members, for a
   * classifier calibrated and labelled by the decision rule when the model has them.
   */
  async predictRows(frame: Frame, rows?: ArrayLike<number>): Promise<Prediction> {
    const raw = await this.predictUncalibrated(frame, rows);
    if (!raw.proba || (!this.calibration && !this.decision)) return raw;
    return this.finish(raw.proba);
  }

  /** Calibrated probabilities and labels from blended (uncalibrated) ones. */
  finish(blended: Float64Array): Prediction {
    const proba = applyCalibration(this.calibration, blended, this.nClasses);
    return { values: this.decision ? decideLabels(this.decision, proba, this.nClasses) : argmaxRows(proba, this.nClasses), proba };
  }

  /** The members' blend before calibration and the decision rule (the most probable class as label). */
  async predictUncalibrated(frame: Frame, rows?: ArrayLike<number>): Promise<Prediction> {
    if (!this.isEnsemble) {
      const p = await this.members[0].model.predict(frame, rows);
      return p.proba ? { values: p.values, proba: p.proba } : { values: p.values };
    }
    const classification = this.task !== 'regression';
    let blended: Float64Array | null = null;
    for (const m of this.members) {
      const p = await m.model.predict(frame, rows);
      const part = classification ? p.proba! : p.values;
      if (!blended) blended = new Float64Array(part.length);
      for (let i = 0; i < part.length; i++) blended[i] += m.weight * part[i];
    }
    const out = blended!;
    return classification ? { values: argmaxRows(out, this.nClasses), proba: out } : { values: out };
  }

  /** Gain importance by input column (tree families), weighted over members, normalised to 1. */
  importance(): { feature: string; gain: number }[] {
    const total = new Map<string, number>();
    for (const m of this.members) {
      const imps = m.model.estimator.featureImportance?.() ?? [];
      const sum = imps.reduce((a, b) => a + b.gain, 0) || 1;
      for (const imp of imps) {
        const source = m.model.pipeline.features.find((f) => f.name === imp.feature)?.source ?? imp.feature;
        total.set(source, (total.get(source) ?? 0) + (m.weight * imp.gain) / sum);
      }
    }
    return [...total].map(([feature, gain]) => ({ feature, gain })).sort((a, b) => b.gain - a.gain);
  }

  toJSON(): FinalModelJSON {
    return {
      format: 'sieve-model',
      version: 1,
      target: this.target,
      task: this.task,
      classes: this.classes,
      members: this.members.map((m) => ({ weight: m.weight, features: m.features, model: m.model.toJSON() })),
      ...(this.trust.conformal ? { conformal: this.trust.conformal } : {}),
      ...(this.trust.drift ? { drift: this.trust.drift } : {}),
      ...(this.calibration && this.calibration.method !== 'none' ? { calibration: this.calibration } : {}),
      ...(this.decision ? { decision: this.decision } : {}),
    };
  }

  static fromJSON(json: FinalModelJSON): FinalModel {
    if (json?.format !== 'sieve-model') throw new Error(`not a Sieve model (format "${String(json?.format)}")`);
    if (json.version !== 1) throw new Error(`unsupported model version ${String(json.version)}`);
    const members = json.members.map((m) => ({ weight: m.weight, features: m.features, model: FittedModel.fromJSON(m.model) }));
    const model = new FinalModel(json.target, json.task, json.classes, members);
    model.trust = { conformal: json.conformal, drift: json.drift };
    model.calibration = json.calibration;
    model.decision = json.decision;
    return model;
  }

  dispose(): void {
    for (const m of this.members) m.model.dispose();
  }
}

export async function fitFinalModel(frame: Frame, opts: FinalModelOptions): Promise<FinalModel> {
  const members: FinalMember[] = [];
  for (let i = 0; i < opts.members.length; i++) {
    const spec = opts.members[i];
    const model = await fitModel(frame, {
      target: opts.target,
      family: spec.family,
      params: spec.params,
      features: spec.features,
      trainRows: opts.trainRows,
      seed: opts.seed + i,
      task: opts.task,
      classes: opts.classes,
      encoded: opts.encoded,
      fit: { deadline: opts.deadline },
      binned: opts.binned,
    });
    members.push({ weight: spec.weight, features: spec.features, model });
  }
  return new FinalModel(opts.target, opts.task, opts.classes, members);
}
