/** The peers' reference results (../shared/peers/results.jsonl) and the datasets, for benchmarks. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { datasetPath as datasetPathByName, manifest as datasetManifest, sharedDir, type DatasetEntry } from '../test/helpers/datasets.ts';

export type ManifestEntry = DatasetEntry;

export interface PeerResult {
  dataset: string;
  model: string;
  fit_s: number;
  metrics: Record<string, number>;
}

export { sharedDir };

export function manifest(): ManifestEntry[] {
  return datasetManifest();
}

export function datasetPath(entry: ManifestEntry): string {
  return datasetPathByName(entry.name);
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
