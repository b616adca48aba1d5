/**
 * model.onnx: the whole fitted model as one ONNX graph, from the raw input columns to predictions.
 *
 * Inputs: one per column of the input schema (schema.json), named as the column, shape [N, 1]:
 * float for numeric columns (NaN when missing), string for categorical and boolean columns (the level
 * as in the training data, "" when missing), double for datetime columns (epoch milliseconds, UTC;
 * NaN when missing).
 *
 * Outputs: classification: `label` (string [N], the most probable class, the first on a tie) and
 * `probabilities` (float [N, K], columns in schema.json's / model.json's class order); regression:
 * `prediction` (float [N]).
 *
 * Inside, each member's pipeline (prep.ts) and model (trees.ts, dense.ts, naive-bayes.ts, knn.ts)
 * compute in double (float32 inputs are compared with float32-adapted tree thresholds, or taken back to
 * their shortest decimal for the other families: decimal.ts); an ensemble is the weighted sum of its members in order, as Sieve's FinalModel computes it.
 * Metadata (`metadata_props`): producer, version, target, metric, test_score, training_sha256, and
 * task, classes, inputs, model_sha256 so a model found on a disk can be traced to its card.
 */
import { calibrateOnnx, decideOnnx } from './decision.ts';
import type { FinalModelJSON } from '../../automl/model.ts';
import type { MetricName } from '../../eval/metrics.ts';
import type { SerializedEstimator, Task } from '../../models/types.ts';
import { errorMessage } from '../../util/error-message.ts';
import type { InputSchema } from '../runtime/types.ts';
import { linearHead, mlpHead } from './dense.ts';
import { GraphBuilder, ML_DOMAIN } from './graph.ts';
import { knnHead } from './knn.ts';
import { naiveBayesHead } from './naive-bayes.ts';
import { onnxInputType, pipelineToOnnx } from './prep.ts';
import { onnxInputs, onnxOutputs, type OnnxInputInfo, type OnnxOutputInfo } from './io.ts';
import { DT, encodeModel } from './proto.ts';
import { onnxUnsupportedReason } from './support.ts';
import { forestHead, gbdtHead } from './trees.ts';

export const ONNX_OPSETS = [
  { domain: '', version: 17 },
  { domain: ML_DOMAIN, version: 3 },
];

export interface OnnxExportInput {
  model: FinalModelJSON;
  input: InputSchema;
  task: Task;
  target: string;
  classes: string[];
  metric: MetricName;
  appVersion: string;
  /** The project metric on the test split (absent: "not measured"). */
  testScore?: number;
  trainingSha256: string;
  modelSha256: string;
}

export interface OnnxExport {
  bytes: Uint8Array;
  inputs: OnnxInputInfo[];
  outputs: OnnxOutputInfo[];
  metadata: Record<string, string>;
  nodes: number;
}

export type { OnnxInputInfo, OnnxOutputInfo } from './io.ts';

export type OnnxResult = { ok: true; onnx: OnnxExport } | { ok: false; reason: string };

export function exportOnnx(x: OnnxExportInput): OnnxResult {
  const reason = onnxUnsupportedReason(x.model);
  if (reason) return { ok: false, reason };
  try {
    return { ok: true, onnx: build(x) };
  } catch (err) {
    return { ok: false, reason: `the ONNX graph could not be built: ${errorMessage(err)}` };
  }
}

function head(g: GraphBuilder, X: string, est: SerializedEstimator, float32: boolean[]): string {
  switch (est.family) {
    case 'gbdt':
      return gbdtHead(g, X, est, float32);
    case 'random_forest':
    case 'extra_trees':
      return forestHead(g, X, est, float32);
    case 'linear':
      return linearHead(g, X, est);
    case 'mlp':
      return mlpHead(g, X, est);
    case 'naive_bayes':
      return naiveBayesHead(g, X, est);
    case 'knn':
      return knnHead(g, X, est);
    default:
      throw new Error(`no ONNX export for the ${est.family} family`);
  }
}

function build(x: OnnxExportInput): OnnxExport {
  const g = new GraphBuilder();
  const inputs = onnxInputs(x.input);
  const values = new Map<string, string>();
  x.input.columns.forEach((c) => values.set(c.name, g.input(c.name, onnxInputType(c.type), ['N', 1])));
  const parts = x.model.members.map((m, i) => {
    const trees = m.model.family === 'gbdt' || m.model.family === 'random_forest' || m.model.family === 'extra_trees';
    const { X, float32 } = pipelineToOnnx(g, m.model.pipeline, values, `m${i}_`, !trees);
    return head(g, X, m.model.estimator, float32);
  });
  let blended = parts[0];
  if (parts.length > 1) {
    blended = g.op('Mul', [g.double('weight', [x.model.members[0].weight], []), parts[0]]);
    for (let j = 1; j < parts.length; j++) blended = g.op('Add', [blended, g.op('Mul', [g.double('weight', [x.model.members[j].weight], []), parts[j]])]);
  }
  const outputs = onnxOutputs(x.task, x.classes);
  if (x.task === 'regression') {
    const flat = g.op('Reshape', [g.op('Cast', [blended], { to: { int: DT.FLOAT } }), g.int64('flat', [-1])]);
    g.output(flat, 'prediction', DT.FLOAT, ['N']);
  } else {
    const K = x.classes.length;
    // Calibrated out of fold and labelled by the tuned decision rule, as the runtime does (decision.ts).
    const proba = calibrateOnnx(g, blended, x.model.calibration, K);
    const best = decideOnnx(g, proba, x.model.decision);
    g.output(g.op('Gather', [g.strings('classes', x.classes), best], { axis: { int: 0 } }), 'label', DT.STRING, ['N']);
    g.output(g.op('Cast', [proba], { to: { int: DT.FLOAT } }), 'probabilities', DT.FLOAT, ['N', K]);
  }
  const metadata: Record<string, string> = {
    producer: 'Sieve',
    version: x.appVersion,
    target: x.target,
    metric: x.metric,
    test_score: x.testScore === undefined || !Number.isFinite(x.testScore) ? 'not measured' : String(x.testScore),
    training_sha256: x.trainingSha256,
    task: x.task,
    classes: JSON.stringify(x.classes),
    inputs: JSON.stringify(inputs.map((i) => ({ name: i.name, type: i.type }))),
    model_sha256: x.modelSha256,
  };
  const doc = `Sieve model predicting "${x.target}" (${x.task}). Inputs: one [N, 1] tensor per column of schema.json.`;
  const bytes = encodeModel({
    graph: g.build('sieve', doc),
    opsets: ONNX_OPSETS,
    producer: { name: 'Sieve', version: x.appVersion },
    doc,
    metadata,
  });
  return { bytes, inputs, outputs, metadata, nodes: g.size };
}
