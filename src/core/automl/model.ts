/**
 * The model an experiment hands over: one fitted pipeline + estimator, or a weighted ensemble of them
 * (Caruana weights), refitted on every search row. It predicts any frame that has the input columns,
 * and serialises to plain JSON (the bundle's model.json).
 */
import type { Frame } from '../data/frame.ts';
import { argmaxRows, type Prediction } from '../eval/metrics.ts';
import { fitPipeline, FittedPipeline, type PipelineJSON } from '../prep/pipeline.ts';
import { getFamily } from '../models/registry.ts';
import type { Estimator, FamilyName, Params, SerializedEstimator, Task } from '../models/types.ts';
import { predictLayout } from './trial.ts';

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
  nClasses: number;
  y: Float64Array;
  trainRows: Int32Array;
  seed: number;
  /** Absolute ms; fits stop (keeping what they have) past it. */
  deadline?: number;
  members: MemberSpec[];
}

export interface FinalModelJSON {
  format: 'sieve-model';
  version: 1;
  target: string;
  task: Task;
  classes: string[];
  members: { weight: number; family: FamilyName; params: Params; features: string[]; pipeline: PipelineJSON; estimator: SerializedEstimator }[];
}

interface Member {
  weight: number;
  family: FamilyName;
  params: Params;
  features: string[];
  pipeline: FittedPipeline;
  estimator: Estimator;
}

export class FinalModel {
  constructor(
    readonly target: string,
    readonly task: Task,
    readonly classes: string[],
    private readonly members: Member[],
  ) {}

  get nClasses(): number {
    return this.classes.length;
  }

  get isEnsemble(): boolean {
    return this.members.length > 1;
  }

  /** The raw input columns the model reads (union over members). */
  get inputColumns(): string[] {
    return [...new Set(this.members.flatMap((m) => m.pipeline.inputColumns))];
  }

  get memberInfo(): { weight: number; family: FamilyName; params: Params; features: string[]; estimator: Estimator; pipeline: FittedPipeline }[] {
    return this.members.map((m) => ({ ...m }));
  }

  /** Predictions for `rows` of the frame (every row when omitted). */
  async predictRows(frame: Frame, rows?: ArrayLike<number>): Promise<Prediction> {
    const classification = this.task !== 'regression';
    let blended: Float64Array | null = null;
    for (const m of this.members) {
      const X = m.pipeline.transform(frame, rows);
      const pred = await predictLayout(m.estimator, X, classification);
      if (!blended) blended = new Float64Array(pred.length);
      for (let i = 0; i < pred.length; i++) blended[i] += m.weight * pred[i];
    }
    const out = blended!;
    return classification ? { values: argmaxRows(out, this.nClasses), proba: out } : { values: out };
  }

  /** Gain importance summed over members by input column (tree families only), normalised to 1. */
  importance(): { feature: string; gain: number }[] {
    const total = new Map<string, number>();
    for (const m of this.members) {
      const imps = m.estimator.featureImportance?.() ?? [];
      const sum = imps.reduce((a, b) => a + b.gain, 0) || 1;
      for (const imp of imps) {
        const source = m.pipeline.features.find((f) => f.name === imp.feature)?.source ?? imp.feature;
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
      members: this.members.map((m) => ({
        weight: m.weight,
        family: m.family,
        params: m.params,
        features: m.features,
        pipeline: m.pipeline.toJSON(),
        estimator: m.estimator.toJSON(),
      })),
    };
  }

  static fromJSON(json: FinalModelJSON): FinalModel {
    if (json.format !== 'sieve-model') throw new Error(`not a Sieve model (format "${String(json.format)}")`);
    if (json.version !== 1) throw new Error(`unsupported model version ${String(json.version)}`);
    const members = json.members.map((m) => ({
      weight: m.weight,
      family: m.family,
      params: m.params,
      features: m.features,
      pipeline: FittedPipeline.fromJSON(m.pipeline),
      estimator: getFamily(m.family).fromJSON(m.estimator),
    }));
    return new FinalModel(json.target, json.task, json.classes, members);
  }

  dispose(): void {
    for (const m of this.members) m.estimator.dispose?.();
  }
}

export async function fitFinalModel(frame: Frame, opts: FinalModelOptions): Promise<FinalModel> {
  const members: Member[] = [];
  for (let i = 0; i < opts.members.length; i++) {
    const spec = opts.members[i];
    const family = getFamily(spec.family);
    const pipeline = fitPipeline(frame, {
      target: opts.target,
      features: spec.features,
      needs: family.needs,
      trainRows: opts.trainRows,
      seed: opts.seed + i,
      task: opts.task,
      classes: opts.classes,
    });
    const X = pipeline.transformTrain(frame);
    const y = Float64Array.from(opts.trainRows, (r) => opts.y[r]);
    const estimator = family.create(opts.task, spec.params);
    await estimator.fit(X, y, opts.nClasses, { deadline: opts.deadline, seed: opts.seed + 7919 * (i + 1) });
    members.push({ ...spec, pipeline, estimator });
  }
  return new FinalModel(opts.target, opts.task, opts.classes, members);
}
