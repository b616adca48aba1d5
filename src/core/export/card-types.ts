/**
 * What the model card is written from (plain data, so the page and the CLI produce the same card),
 * apart from the writer: the card's sections (model-card.ts, card-usage.ts, ...) all read it.
 */
import type { ConformalReport } from '../eval/conformal-report.ts';
import type { FinalModelJSON } from '../automl/model.ts';
import type { ResolvedProject } from '../automl/types.ts';
import type { MetricName } from '../eval/metrics.ts';
import type { Params } from '../models/types.ts';
import type { Datasheet } from './datasheet.ts';
import type { OnnxCardInfo } from './onnx/card.ts';
import type { Row } from './runtime/types.ts';
import type { CardDecisions } from './card-decisions.ts';

export interface CardWinner {
  name: string;
  family: string;
  params: Params;
  cvScore: number;
  cvStd: number;
  members?: { id: number; weight: number }[];
  /** Why the ensemble's weights differ from what selection alone chose (Occam's blend). */
  note?: string;
}

export interface CardAb {
  baseline: string;
  metric: MetricName;
  model: number;
  baselineValue: number;
  diff: number;
  ci: [number, number];
  test: string;
  pValue: number;
  verdict: 'better' | 'worse' | 'no-significant-difference';
  message: string;
}

export interface CardSuccess {
  metric: MetricName;
  threshold: number;
  value: number;
  ci?: [number, number];
  met: boolean;
  message: string;
}

export interface CardImportance {
  /** 'permutation': drop of the test metric when the column is shuffled; 'gain': the trees' split gain. */
  kind: 'permutation' | 'gain';
  metric?: MetricName;
  items: { feature: string; value: number; std?: number }[];
}

export interface ModelCardInput {
  appVersion: string;
  /** ISO 8601 time of export. */
  created: string;
  project: ResolvedProject;
  model: FinalModelJSON;
  /** Hex SHA-256 of the model (as recorded in model.json). */
  modelSha256: string;
  winner: CardWinner;
  /** Leaderboard entries, to name an ensemble's members. */
  leaderboard?: { id: number; name: string; family: string; cvScore: number }[];
  run: {
    trials: number;
    elapsedSeconds: number;
    folds: number;
    searchRows: number;
    testRows: number;
    cancelled: boolean;
    /** How trials were validated and why (older bundles: k-fold with `folds`). */
    validation?: { kind: 'repeated-kfold' | 'kfold' | 'holdout'; reason: string };
    /** Rows the final model was fitted on, when fewer than the search rows (a large table in a short budget). */
    refitRows?: number;
    /** Test rows and shuffles behind the permutation importance, when it used a sample. */
    importanceRows?: number;
  };
  /** Every metric on the held-out test split. */
  test: Record<string, number>;
  /** The project metric on the test split with its 95 % bootstrap CI. */
  testMetric?: { value: number; ci: [number, number] };
  ab?: CardAb;
  success?: CardSuccess;
  importance?: CardImportance;
  data: Datasheet;
  droppedFeatures?: { name: string; reason: string }[];
  /** The compute backend of the search ("webgpu", "wasm", "cpu", "node worker threads" ...). */
  backend?: string;
  /** One input row for the usage snippets (the first row of example.csv). */
  example: Row;
  /** What example.csv (and `example`) holds: synthetic rows (the default) or real training rows. */
  examples?: { source: 'synthetic' | 'real'; count: number };
  /** model.onnx's inputs and outputs, or why the bundle has none (no ONNX section when absent). */
  onnx?: OnnxCardInfo;
  /** The conformal intervals or sets on the test split (card-trust.ts). */
  conformal?: ConformalReport;
  /** Calibration, the decision threshold and costs, deployment constraints (card-decisions.ts). */
  decisions?: CardDecisions;
}
