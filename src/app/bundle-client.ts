/**
 * The page's side of model export (issue 7): build a run's bundle .zip, read a bundle back with every
 * check (size, completeness, format, SHA-256), on the main thread — the zip of a few MB is built by
 * fflate's async API (scoring a CSV streams in batches: stream-score.ts). The logic is in
 * bundle-export.ts; this file adds what only the page build has (predict.mjs's text from the
 * `virtual:predict-runtime` Vite module, the app version) and the browser parts.
 *
 * Nothing here runs code from a loaded bundle: its predict.mjs is only hashed (read-bundle.ts keeps it
 * as text), and the page scores with its own copy of the same runtime, from model.json's data. The
 * hashes catch a damaged bundle, not an edited one: they are recorded inside the bundle itself.
 */
import predictRuntime from 'virtual:predict-runtime';
import { version as appVersion } from '../../package.json';
import { prepareBundleWith, type PreparedBundle, type RunForExport } from './bundle-export.ts';

export { MAX_BUNDLE_BYTES } from '../core/export/read-bundle.ts';
export { readBundleBlob, winnerHoldsTrainingRows, type LoadedBundle, type PreparedBundle, type RunForExport } from './bundle-export.ts';

/** Builds the bundle of a run (and loads its model for batch scoring). */
export function prepareBundle(run: RunForExport): Promise<PreparedBundle> {
  return prepareBundleWith(run, { predictRuntime, appVersion });
}

/** Starts a download of a Blob under a file name (an object URL, revoked once the click is handled). */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
