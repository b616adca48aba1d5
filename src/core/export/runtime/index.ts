/**
 * The prediction runtime: bundled by esbuild into a bundle's dependency-free predict.mjs
 * (src/node/predict-runtime.ts), and used as it is by Sieve's CLI and page to score CSVs with a
 * bundle. Everything it imports is plain TypeScript (no tfjs, no Node module except a guarded
 * node:fs read in loadModel).
 *
 *   const model = await loadModel();            // model.json beside predict.mjs
 *   model.predict([{ Age: 29, Sex: 'male' }]);  // → [{ label, probabilities, set }] or [{ value, prediction, interval }]
 *   model.driftMonitor().add(rows, predictions) // then .report(): the drift check against the training profile
 */
export { loadModel, loadModelSync, type ModelSource } from './load.ts';
export { InputError, SieveModel, type RawPredictions } from './model.ts';
export { DriftMonitor } from './drift-monitor.ts';
export { Uncertainty } from './uncertainty.ts';
export { ModelFileError, checkModelFile } from './envelope.ts';
export { toJsonSchema, inputSchemaFromModel } from './schema.ts';
export { rowsToFrame } from './rows-to-frame.ts';
export { sha256Hex } from '../sha256.ts';
export {
  BUNDLE_MODEL_FORMAT,
  BUNDLE_MODEL_VERSION,
  type BundleModelFile,
  type ClassPrediction,
  type InputColumn,
  type InputSchema,
  type LoadOptions,
  type PredictOptions,
  type Prediction,
  type Row,
  type RowError,
  type RowValue,
  type ValuePrediction,
} from './types.ts';
