/**
 * Peak resident memory of reading one CSV, in a process of its own: `node --import tsx
 * test/unit/data/peak-rss.ts file.csv` prints {rows, columns, baseMB, peakMB, seconds} (or {error})
 * as JSON. baseMB is the process's peak RSS before reading (Node, tsx and the engine loaded), peakMB
 * the kernel's peak RSS after reading (readCsvFile: parse, type and profile). Used by limits.test.ts
 * and to measure wide files by hand.
 */
import { readCsvFile } from '../../../src/node/read-csv.ts';

const MB = 1024; // maxRSS is in KiB
const file = process.argv[2];
const baseMB = process.resourceUsage().maxRSS / MB;
const t0 = performance.now();
try {
  const r = await readCsvFile(file);
  const peakMB = process.resourceUsage().maxRSS / MB;
  console.log(JSON.stringify({ rows: r.frame.rows, columns: r.frame.columns.length, baseMB, peakMB, seconds: (performance.now() - t0) / 1000 }));
} catch (err) {
  const e = err as { kind?: string; message: string };
  console.log(
    JSON.stringify({ error: e.kind, message: e.message, baseMB, peakMB: process.resourceUsage().maxRSS / MB, seconds: (performance.now() - t0) / 1000 }),
  );
}
