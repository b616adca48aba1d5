/**
 * Fixture page of ship-components.test.ts: mounts the Ship step with a finished run written by the
 * test into test-artifacts/ship/ (summary + model JSON + the CSV), as the page will once it is wired.
 */
import { mount } from 'svelte';
import '../../../src/ui/app.css';
import { loadCsv } from '../../../src/app/ingest-client.ts';
import type { LoadedBundle } from '../../../src/app/bundle-client.ts';
import ShipStep from '../../../src/ui/ship/ShipStep.svelte';

const data = '/test-artifacts/ship/';
const run = await (await fetch(`${data}run.json`)).json();
const file = new File([await (await fetch(`${data}train.csv`)).blob()], 'titanic.csv');
const { frame, profile } = await loadCsv(file);
const w = window as unknown as { champion?: string; shipReady?: boolean };
mount(ShipStep, {
  target: document.getElementById('app')!,
  props: {
    summary: run.summary,
    model: new Blob([JSON.stringify(run.model)], { type: 'application/json' }),
    dataset: { fileName: 'titanic.csv', file, frame, profile },
    onUseAsChampion: (loaded: LoadedBundle) => (w.champion = loaded.model.target),
  },
});
w.shipReady = true;
