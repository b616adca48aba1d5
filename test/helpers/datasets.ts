/**
 * Where tests find the shared datasets: the folder `shared/datasets` beside the repository root
 * (CI clones the repo with a copy of shared/ next to it). Never an absolute path.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DatasetEntry {
  name: string;
  file: string;
  target: string;
  task: 'binary' | 'multiclass' | 'regression';
  id_columns?: string[];
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The shared folder (`<repo>/../shared`). */
export function sharedDir(): string {
  return path.resolve(repoRoot, '../shared');
}

let cachedManifest: DatasetEntry[] | null = null;

/** The datasets' manifest.json: one entry per CSV with its target and task. */
export function manifest(): DatasetEntry[] {
  if (!cachedManifest) {
    const file = path.join(sharedDir(), 'datasets', 'manifest.json');
    cachedManifest = JSON.parse(fs.readFileSync(file, 'utf8')) as DatasetEntry[];
  }
  return cachedManifest;
}

/** The absolute path of a dataset's CSV, by manifest name (e.g. 'titanic'). */
export function datasetPath(name: string): string {
  const entry = manifest().find((d) => d.name === name);
  if (!entry) throw new Error(`No dataset "${name}" in ${path.join(sharedDir(), 'datasets', 'manifest.json')}`);
  return path.join(sharedDir(), 'datasets', entry.file);
}
