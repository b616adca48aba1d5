/** Reads ../shared/peers/results.jsonl and ../shared/datasets/manifest.json for benchmarks. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ManifestEntry {
  name: string;
  file: string;
  target: string;
  task: 'binary' | 'multiclass' | 'regression';
  id_columns?: string[];
}

export interface PeerResult {
  dataset: string;
  model: string;
  fit_s: number;
  metrics: Record<string, number>;
}

export function sharedDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const dir = path.resolve(here, '../../shared');
  if (!existsSync(dir)) throw new Error(`../shared not found beside the repository (looked in ${dir})`);
  return dir;
}

export function manifest(): ManifestEntry[] {
  return JSON.parse(readFileSync(path.join(sharedDir(), 'datasets/manifest.json'), 'utf8'));
}

export function datasetPath(entry: ManifestEntry): string {
  return path.join(sharedDir(), 'datasets', entry.file);
}

export function peerResults(): PeerResult[] {
  return readFileSync(path.join(sharedDir(), 'peers/results.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as PeerResult);
}

/** The metric the comparison uses per task, and whether higher is better. */
export function headlineMetric(task: ManifestEntry['task']): { name: string; higher: boolean } {
  if (task === 'binary') return { name: 'roc_auc', higher: true };
  if (task === 'multiclass') return { name: 'log_loss', higher: false };
  return { name: 'r2', higher: true };
}
