/**
 * Messages between the page (src/app/experiment-client.ts) and the experiment worker.
 * The page sends `warm` once (start the trial workers early), then `start` per run and `cancel`;
 * the worker answers with `backend` reports, the engine's events, and one `finished` or `failed` per run.
 *
 * After a run the worker keeps its model and frame, so `explain` (why did this row get its prediction)
 * needs nothing more. After a reload it holds none: it answers `explain-failed` with `needsModel`, and
 * the page sends the request again with `load` (the saved model JSON and the page's frame).
 */
import type { ExperimentEvent, ProjectDefinition } from '../core/automl/types.ts';
import type { Frame } from '../core/data/frame.ts';
import type { BundleModelFile } from '../core/export/runtime/types.ts';
import type { BackendSummary } from '../app/backend-summary.ts';
import type { ExplainedRow, RunSummary } from '../app/run-results.ts';

export interface WarmOptions {
  /** Accept a software WebGPU adapter (tests of the GPU path; slow). */
  allowSoftwareGpu: boolean;
}

export type ExperimentRequest =
  | { type: 'warm'; options: WarmOptions }
  /**
   * The Frame is copied (structured clone): the page keeps its own for the next run. `champion`: a
   * loaded bundle's model.json, the existing process the winner is compared with (named `name`).
   */
  /** `startedAt`: when the user pressed Start (ms since epoch); the budget runs from there to the results. */
  | { type: 'start'; runId: string; frame: Frame; def: ProjectDefinition; startedAt: number; champion?: ChampionSpec }
  | { type: 'cancel'; runId: string }
  /** `key` names the model (the runId that made it); `row` is a frame row. */
  | { type: 'explain'; requestId: number; key: string; row: number; background: Int32Array; seed: number; load?: { frame: Frame; model: Blob } }
  /** Test hook: destroy every trial worker's GPU device mid-run. */
  | { type: 'lose-device' };

/** A previously exported model used as the existing process of a run. */
export interface ChampionSpec {
  /** How the comparison names it, e.g. "the champion model (titanic-sieve-bundle.zip, exported 2025-01-02)". */
  name: string;
  modelFile: BundleModelFile;
}

export type RunFailureKind = 'project' | 'cancelled' | 'internal';

export type ExperimentResponse =
  | { type: 'backend'; backend: BackendSummary }
  | { type: 'event'; runId: string; event: ExperimentEvent }
  /** `model` is FinalModel.toJSON() as a JSON Blob: cheap to post and to store, parsed only when needed. */
  | { type: 'finished'; runId: string; summary: RunSummary; model: Blob }
  | { type: 'failed'; runId: string; kind: RunFailureKind; message: string }
  | { type: 'explained'; requestId: number; explanation: ExplainedRow }
  /** `needsModel`: the worker does not hold the model `key` names; send the request again with `load`. */
  | { type: 'explain-failed'; requestId: number; needsModel: boolean; message: string };
