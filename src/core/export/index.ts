/** Model export: the bundle, its reader, the model card, CSV output and the prediction runtime. */
export { BUNDLE_FILES, buildBundle, bundleFiles, modelJsonText, zipBundle, type BundleFileName, type BundleInput, type BuiltBundleFiles } from './bundle.ts';
export { BundleError, MAX_BUNDLE_BYTES, readBundle, type ReadBundle } from './read-bundle.ts';
export { buildModelCard, type ModelCard, type ModelCardInput } from './model-card.ts';
export { describeTrainingData, type Datasheet } from './datasheet.ts';
export { csvField, csvLine, neutralizeCell, predictionCells, predictionHeader, predictionsCsv } from './csv-out.ts';
export { frameRows } from './rows.ts';
export { championFromModel, checkChampion, type Champion } from './champion.ts';
export { bundleInputFromExperiment, type ExportContext } from './from-experiment.ts';
export { Sha256, sha256Hex, sha256OfBlob } from './sha256.ts';
