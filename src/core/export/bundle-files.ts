/**
 * The names of a bundle's files, apart from the code that writes them (bundle.ts): reading a bundle
 * (read-bundle.ts) and the page need the names only, and bundle.ts pulls in the ONNX writer, which the
 * page should load when the user exports, not with its first paint.
 */

/** Every file of a bundle, in the order they are written. */
export const BUNDLE_FILES = ['README.md', 'model-card.html', 'model.json', 'predict.mjs', 'predict.d.ts', 'serve.mjs', 'schema.json', 'example.csv'] as const;
export type BundleFileName = (typeof BUNDLE_FILES)[number];
/** Files a bundle has when the model exports to them (after BUNDLE_FILES in the zip). */
export const OPTIONAL_BUNDLE_FILES = ['model.onnx'] as const;
export type OptionalBundleFileName = (typeof OPTIONAL_BUNDLE_FILES)[number];
