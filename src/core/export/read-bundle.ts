/**
 * Reading a bundle back (the page's re-import, the CLI's `predict` and `--champion`), refusing with a
 * clear reason anything that is not a complete, undamaged Sieve bundle: too large, not a zip, files
 * missing, JSON that does not parse, an unknown format or version, or a file whose SHA-256 differs
 * from the one model.json recorded.
 *
 * What the SHA-256 check proves: integrity, not authenticity. It catches accidental damage — a
 * truncated download, a corrupted disk, a file swapped in from another export, an edit that forgot
 * the hashes. It does not catch a deliberate edit: the hashes live in model.json, inside the same
 * bundle, so whoever changes a file can write its new hash too, and a bundle that passes says nothing
 * about who made it. (The 'tampered' kind names what failed: a hash that does not match.)
 *
 * Reading is data only: predict.mjs is kept as text (`predictMjs`) and never imported or evaluated;
 * the page and the CLI score with their own copy of the runtime, from model.json's model.
 */
import { unzipSync } from 'fflate';
import type { FinalModelJSON } from '../automl/model.ts';
import { errorMessage } from '../util/error-message.ts';
import { BUNDLE_FILES, OPTIONAL_BUNDLE_FILES, type BundleFileName } from './bundle-files.ts';
import type { BuiltBundleFiles } from './bundle.ts';
import { checkModelFile, ModelFileError } from './runtime/envelope.ts';
import type { BundleModelFile } from './runtime/types.ts';
import { sha256Hex } from './sha256.ts';

export const MAX_BUNDLE_BYTES = 200 * 1024 * 1024;
/** Unpacked, at most this much: a small zip may claim to unpack to gigabytes (a "zip bomb"). */
export const MAX_UNPACKED_BYTES = 1024 * 1024 * 1024;

export type BundleErrorKind = 'too-large' | 'not-zip' | 'missing-file' | 'bad-json' | 'format' | 'tampered';

export class BundleError extends Error {
  constructor(
    readonly kind: BundleErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'BundleError';
  }
}

export interface ReadBundle {
  /** model.json's envelope: format, version, created, app, task, metric, target, classes, input schema, integrity. */
  manifest: Omit<BundleModelFile, 'model'>;
  /** The whole parsed model.json (envelope and model), ready for loadModel. */
  modelFile: BundleModelFile;
  model: FinalModelJSON;
  card: { markdown: string; html: string };
  schema: Record<string, unknown>;
  /** predict.mjs's text as shipped. */
  predictMjs: string;
  /** Every file; model.onnx only when the bundle has one. */
  files: BuiltBundleFiles['files'];
  /** The .zip's size. */
  bytes: number;
}

export interface ReadBundleOptions {
  maxBytes?: number;
}

const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;

export function readBundle(zipBytes: Uint8Array, opts: ReadBundleOptions = {}): ReadBundle {
  const maxBytes = opts.maxBytes ?? MAX_BUNDLE_BYTES;
  if (zipBytes.length > maxBytes) {
    throw new BundleError('too-large', `This bundle is ${mb(zipBytes.length)}; bundles over ${mb(maxBytes)} are refused.`);
  }
  const wanted = new Set<string>([...BUNDLE_FILES, ...OPTIONAL_BUNDLE_FILES]);
  let unpacked = 0;
  let raw: Record<string, Uint8Array>;
  try {
    raw = unzipSync(zipBytes, {
      filter: (f) => {
        if (!wanted.has(f.name)) return false;
        unpacked += f.originalSize;
        if (unpacked > MAX_UNPACKED_BYTES) throw new BundleError('too-large', `This bundle unpacks to more than ${mb(MAX_UNPACKED_BYTES)}; it is refused.`);
        return true;
      },
    });
  } catch (err) {
    if (err instanceof BundleError) throw err;
    throw new BundleError('not-zip', `This file is not a Sieve model bundle: it is not a readable .zip archive (${errorMessage(err)}).`);
  }
  const missing = BUNDLE_FILES.filter((name) => !raw[name]);
  if (missing.length) {
    throw new BundleError(
      'missing-file',
      `This .zip is not a complete Sieve model bundle: it lacks ${missing.join(', ')}. A bundle holds ${BUNDLE_FILES.join(', ')}.`,
    );
  }
  const files = raw as BuiltBundleFiles['files'];
  const text = (name: BundleFileName): string => new TextDecoder().decode(files[name]);
  const json = (name: BundleFileName): unknown => {
    try {
      return JSON.parse(text(name));
    } catch (err) {
      // Sieve always writes valid JSON: a file that no longer parses was damaged or edited since.
      throw new BundleError(
        'bad-json',
        `${name} in the bundle is not valid JSON: the bundle was changed or damaged after Sieve wrote it (${errorMessage(err)}).`,
      );
    }
  };
  let modelFile: BundleModelFile;
  try {
    modelFile = checkModelFile(json('model.json'), false);
  } catch (err) {
    if (err instanceof ModelFileError) throw new BundleError('format', `${err.message}.`);
    throw err;
  }
  if (!modelFile.integrity || typeof modelFile.integrity.model !== 'string' || !modelFile.integrity.files) {
    throw new BundleError('format', 'model.json records no SHA-256 of the model and files; it was not written by Sieve.');
  }
  if (sha256Hex(JSON.stringify(modelFile.model)) !== modelFile.integrity.model) {
    throw new BundleError('tampered', 'The model in model.json does not match its recorded SHA-256: the bundle was changed or damaged after Sieve wrote it.');
  }
  for (const name of OPTIONAL_BUNDLE_FILES) {
    // An optional file (model.onnx) is checked when model.json records it or the zip holds it.
    if (modelFile.integrity.files[name] !== undefined && !files[name]) {
      throw new BundleError('missing-file', `This .zip is not a complete Sieve model bundle: it lacks ${name}, which model.json records.`);
    }
  }
  for (const name of [...BUNDLE_FILES, ...OPTIONAL_BUNDLE_FILES.filter((n) => files[n])]) {
    if (name === 'model.json') continue;
    const recorded = modelFile.integrity.files[name];
    if (recorded !== sha256Hex(files[name]!)) {
      throw new BundleError('tampered', `${name} does not match the SHA-256 recorded in model.json: the bundle was changed or damaged after Sieve wrote it.`);
    }
  }
  const schema = json('schema.json');
  const { model, ...manifest } = modelFile;
  return {
    manifest,
    modelFile,
    model,
    card: { markdown: text('README.md'), html: text('model-card.html') },
    schema: schema as Record<string, unknown>,
    predictMjs: text('predict.mjs'),
    files,
    bytes: zipBytes.length,
  };
}
