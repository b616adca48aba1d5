/** The sample datasets bundled under public/samples/ (see its README for sources); precached for offline use. */
export interface SampleDataset {
  id: string;
  /** File name under public/samples/. */
  file: string;
  label: string;
  rows: number;
  columns: number;
  /** The task a user would most likely set up on it (shown on the button as a hint, not enforced). */
  task: 'binary' | 'multiclass' | 'regression';
  target: string;
}

export const SAMPLE_DATASETS: readonly SampleDataset[] = [
  { id: 'titanic', file: 'titanic.csv', label: 'Titanic', rows: 891, columns: 12, task: 'binary', target: 'Survived' },
  { id: 'insurance', file: 'insurance.csv', label: 'Insurance', rows: 1338, columns: 7, task: 'regression', target: 'charges' },
];

export function sampleUrl(sample: SampleDataset): string {
  return `${import.meta.env.BASE_URL}samples/${sample.file}`;
}

/** The sample as a File, fetched from our own origin (from the service worker's cache when offline). */
export async function fetchSample(sample: SampleDataset, signal?: AbortSignal): Promise<File> {
  const response = await fetch(sampleUrl(sample), { signal });
  if (!response.ok) {
    throw new Error(`Could not fetch the sample "${sample.file}" (HTTP ${response.status}).`);
  }
  const blob = await response.blob();
  return new File([blob], sample.file, { type: 'text/csv' });
}
