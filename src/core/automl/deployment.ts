/**
 * Deployment figures of a model, measured the way it will be used: prediction time per 1,000 rows with
 * the bundle's own runtime (SieveModel, what predict.mjs runs: rows as objects in, labelled
 * predictions out, on this device), and its size — model.json deflated as the bundle's zip stores it,
 * twice (model.onnx holds the same trees or weights) plus the bundle's fixed part (runtime, server,
 * card), which the host measures.
 */
import { deflateSync } from 'fflate';
import type { Frame } from '../data/frame.ts';
import { inputSchemaForBundle } from '../export/input-schema.ts';
import { frameRows } from '../export/rows.ts';
import { SieveModel } from '../export/runtime/model.ts';
import { BUNDLE_MODEL_FORMAT, BUNDLE_MODEL_VERSION, type BundleModelFile } from '../export/runtime/types.ts';
import type { FinalModelJSON } from './model.ts';
import type { DeploymentConstraints } from './constraints.ts';

export interface DeploymentFigures {
  /**
   * The fastest of 21 timed runs (three bursts of seven, after warming up) of predicting 1,000 rows
   * (the given rows, repeated as needed): the device's own speed. On a shared machine a median still moved 1 → 30 ms
   * with other programs' load; the minimum is what timeit and hyperfine report for the same reason.
   */
  predictMsPer1000: number;
  /** model.json deflated, in KB. */
  modelKb: number;
  /** The bundle's size as estimated from the model (2 × modelKb + the fixed part); the CLI measures the real one. */
  bundleKb: number;
}

/** What the bundle holds besides the model, in KB, when the host does not say (measured: a 60-row titanic bundle's zip less its model files). */
export const DEFAULT_BUNDLE_BASE_KB = 60;

export async function measureDeployment(
  model: FinalModelJSON,
  frame: Frame,
  rows: ArrayLike<number>,
  bundleBaseKb = DEFAULT_BUNDLE_BASE_KB,
): Promise<DeploymentFigures> {
  const file: BundleModelFile = {
    format: BUNDLE_MODEL_FORMAT,
    version: BUNDLE_MODEL_VERSION,
    created: new Date(0).toISOString(),
    app: { name: 'Sieve', version: 'measure' },
    task: model.task,
    metric: model.task === 'regression' ? 'rmse' : 'log_loss',
    target: model.target,
    classes: model.classes,
    input: inputSchemaForBundle(model, frame),
    integrity: { algorithm: 'SHA-256', model: '', files: {} },
    model,
  };
  const modelKb = deflateSync(new TextEncoder().encode(JSON.stringify(file)), { level: 6 }).length / 1024;
  const runtime = new SieveModel(file);
  // Exactly 1,000 rows per call, so a per-call cost is counted once per 1,000 rows as a user's batch would.
  const thousand = Int32Array.from({ length: 1000 }, (_, i) => rows[i % Math.max(1, rows.length)]);
  const table = frameRows(frame, runtime.inputColumns, thousand);
  // Warm up as a serving process would be (a cold first call runs unoptimised code, 5-10x slower):
  // at least 3 calls, until 100 ms have been spent or 10 calls made.
  const warmStart = performance.now();
  for (let k = 0; k < 10 && (k < 3 || performance.now() - warmStart < 100); k++) runtime.score(table);
  const times: number[] = [];
  // Three bursts a moment apart: a burst of another program's load rarely covers all three.
  for (let burst = 0; burst < 3; burst++) {
    if (burst) await new Promise((resolve) => setTimeout(resolve, 150));
    for (let k = 0; k < 7; k++) {
      const t0 = performance.now();
      runtime.score(table);
      times.push(performance.now() - t0);
    }
  }
  return { predictMsPer1000: Math.min(...times), modelKb, bundleKb: 2 * modelKb + bundleBaseKb };
}

/**
 * During the search a trial must stay this far inside a limit: its figures come from a model fitted on
 * one fold, timed beside other trials, and the final model (refitted on every row, timed alone) can
 * come out somewhat slower or larger.
 */
export const SEARCH_MARGIN = { time: 0.8, size: 0.9 };

/** The constraints a model's figures break, in words ([] when none); `margin` tightens the limits (SEARCH_MARGIN). */
export function constraintBreaks(
  c: DeploymentConstraints | undefined,
  f: { predictMsPer1000?: number; bundleKb?: number },
  margin: { time: number; size: number } = { time: 1, size: 1 },
): string[] {
  const out: string[] = [];
  if (!c) return out;
  const within = (share: number) => (share < 1 ? ` (${Math.round(share * 100)} % of the limit during the search)` : '');
  if (c.maxPredictMs !== undefined && f.predictMsPer1000 !== undefined && f.predictMsPer1000 > c.maxPredictMs * margin.time) {
    out.push(`predicts 1,000 rows in ${f.predictMsPer1000.toFixed(1)} ms > ${c.maxPredictMs} ms${within(margin.time)}`);
  }
  if (c.maxBundleKb !== undefined && f.bundleKb !== undefined && f.bundleKb > c.maxBundleKb * margin.size) {
    out.push(`bundle ${f.bundleKb.toFixed(0)} KB > ${c.maxBundleKb} KB${within(margin.size)}`);
  }
  return out;
}

export function limitsDeployment(c: DeploymentConstraints | undefined): boolean {
  return c?.maxPredictMs !== undefined || c?.maxBundleKb !== undefined;
}

/** An ensemble's figures: the sum over its members (each predicts every row); a member without figures counts as 0. */
export function summedDeployment(entries: { deployment?: DeploymentFigures }[]): { predictMsPer1000: number; bundleKb: number } {
  let ms = 0;
  let modelKb = 0;
  let base = 0;
  for (const e of entries) {
    if (!e.deployment) continue;
    ms += e.deployment.predictMsPer1000;
    modelKb += e.deployment.modelKb;
    base = e.deployment.bundleKb - 2 * e.deployment.modelKb;
  }
  return { predictMsPer1000: ms, bundleKb: 2 * modelKb + base };
}
