/**
 * Node-side bundle helpers for the CLI: read and validate a bundle file, hash a dataset file, and
 * the app's version (package.json), which bundles and model cards record.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readBundle, type ReadBundle } from '../core/export/read-bundle.ts';
import { loadModelSync } from '../core/export/runtime/load.ts';
import type { SieveModel } from '../core/export/runtime/model.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function appVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

/** Hex SHA-256 and size of a file, streamed (a data set may be hundreds of MB). */
export async function fileSha256(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Reads and validates a bundle; a user's mistake (no file, not a bundle, tampered) throws with the reason. */
export async function readBundleFile(file: string): Promise<{ bundle: ReadBundle; model: SieveModel }> {
  let bytes: Uint8Array;
  try {
    const stat = await fs.promises.stat(file);
    if (stat.isDirectory()) throw new Error(`${file} is a folder, not a bundle .zip`);
    bytes = new Uint8Array(await fs.promises.readFile(file));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `No such bundle file: ${file}` : `Cannot read the bundle ${file}: ${(err as Error).message}`);
  }
  const bundle = readBundle(bytes);
  // The bundle's own checks passed (its hashes match), so its model is built here without re-hashing.
  const model = loadModelSync(bundle.modelFile, { verify: false });
  return { bundle, model };
}
