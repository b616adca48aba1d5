/**
 * `npm run bench:ingest`: CSV ingest speed and memory (parse + type + profile, i.e. readCsvFile).
 *
 * Files: the 3 largest shared datasets and a generated ~200 MB CSV (mixed numeric, categorical, dates,
 * missing cells; written to a temp dir and deleted afterwards). Each file is read in a fresh worker
 * thread; the main thread samples the process RSS every 5 ms while it runs (so the final typing and
 * profiling phases are caught too), and the worker samples its own ArrayBuffer bytes after every chunk.
 * Each file is read twice in its worker: cold (first read, JIT warm-up included; memory and process
 * CPU time are measured on this one) and warm (second read). Reported: MB/s both ways (file bytes / wall time), peak RSS minus
 * the idle worker's RSS, its ratio to the file size, and peak ArrayBuffer bytes. Prints a Markdown table.
 *
 * Options: --gen-mb N (size of the generated file, default 200), --only shared|generated|files,
 * --file PATH (repeatable: more CSV files to read, e.g. bench-out/scale-1000000.csv from bench:scale).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { IngestResult } from '../src/core/data/ingest.ts';
import { readCsvFile } from '../src/node/read-csv.ts';
import { Rng } from '../src/core/util/random.ts';

interface ChildResult {
  seconds: number;
  /** Process CPU time (user + system, all threads) during the cold read: less sensitive than wall time to other load. */
  cpuSeconds: number;
  warmSeconds: number;
  rows: number;
  columns: number;
  types: string;
  peakArrayBuffers: number;
  baseArrayBuffers: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));

if (!isMainThread) {
  await child();
} else {
  await main();
}

async function child(): Promise<void> {
  const port = parentPort!;
  const { file } = workerData as { file: string };
  port.postMessage({ type: 'ready' });
  await new Promise<void>((resolve) => port.once('message', () => resolve()));
  // Cold: the first read in a fresh worker, as a user gets it (JIT warm-up included). Memory is sampled here.
  const base = process.memoryUsage().arrayBuffers;
  let peak = base;
  const cpu0 = process.cpuUsage();
  let t0 = performance.now();
  let result: IngestResult | null = await readCsvFile(file, {
    onProgress: () => {
      const ab = process.memoryUsage().arrayBuffers;
      if (ab > peak) peak = ab;
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  peak = Math.max(peak, process.memoryUsage().arrayBuffers);
  const counts = new Map<string, number>();
  for (const c of result.profile.columns) counts.set(c.type, (counts.get(c.type) ?? 0) + 1);
  const rows = result.frame.rows;
  const columns = result.frame.columns.length;
  port.postMessage({ type: 'cold-done' });
  // Warm: a second read of the same file in the same worker (compiled code, grown heap).
  result = null;
  t0 = performance.now();
  await readCsvFile(file);
  const warmSeconds = (performance.now() - t0) / 1000;
  const out: ChildResult = {
    seconds,
    cpuSeconds,
    warmSeconds,
    rows,
    columns,
    types: [...counts].map(([t, n]) => `${n} ${t}`).join(', '),
    peakArrayBuffers: peak,
    baseArrayBuffers: base,
  };
  port.postMessage({ type: 'done', result: out });
}

/** Runs one file in a fresh worker; returns its figures and the peak RSS above the idle worker's. */
async function measure(file: string): Promise<ChildResult & { peakRssDelta: number }> {
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); });`;
  const worker = new Worker(boot, { eval: true, workerData: { file } });
  let baseline = 0;
  let peak = 0;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise((resolve, reject) => {
      worker.on('error', reject);
      worker.on('message', (m: { type: string; result?: ChildResult }) => {
        if (m.type === 'ready') {
          // Let the worker settle, then take the idle baseline.
          setTimeout(() => {
            globalThis.gc?.();
            baseline = process.memoryUsage.rss();
            peak = baseline;
            timer = setInterval(() => {
              const rss = process.memoryUsage.rss();
              if (rss > peak) peak = rss;
            }, 5);
            worker.postMessage('go');
          }, 200);
        } else if (m.type === 'cold-done') {
          peak = Math.max(peak, process.memoryUsage.rss());
          clearInterval(timer);
          timer = undefined;
        } else if (m.type === 'done') {
          resolve({ ...m.result!, peakRssDelta: peak - baseline });
        }
      });
    });
  } finally {
    if (timer) clearInterval(timer);
    await worker.terminate();
  }
}

/** A mixed table: row id, ints, floats (some missing / NA), categoricals of 5..2000 levels, booleans, dates. */
async function generateCsv(file: string, targetBytes: number): Promise<void> {
  const rng = new Rng(42);
  const cities = Array.from({ length: 50 }, (_, i) => `City ${String.fromCharCode(65 + (i % 26))}${i}`);
  const segments = ['retail', 'small business', 'enterprise', 'public', 'student'];
  const out = fs.createWriteStream(file);
  out.write('id,age,income,score,city,segment,member,signup,visits,ratio,product,churned\n');
  let written = 0;
  let id = 1;
  const day0 = Date.UTC(2015, 0, 1);
  while (written < targetBytes) {
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++, id++) {
      const income = rng.next() < 0.03 ? '' : (20000 + rng.next() * 180000).toFixed(2);
      const segment = rng.next() < 0.01 ? '' : segments[Math.floor(rng.next() * segments.length)];
      const ratio = rng.next() < 0.02 ? 'NA' : rng.next().toFixed(4);
      const signup = new Date(day0 + Math.floor(rng.next() * 3650) * 86_400_000).toISOString().slice(0, 10);
      lines.push(
        `${id},${18 + Math.floor(rng.next() * 70)},${income},${(rng.next() * 10 - 5).toFixed(5)},` +
          `${cities[Math.floor(rng.next() * cities.length)]},${segment},${rng.next() < 0.3 ? 'yes' : 'no'},${signup},` +
          `${Math.floor(rng.next() * 20)},${ratio},P${String(Math.floor(rng.next() * 2000)).padStart(5, '0')},${rng.next() < 0.2 ? 1 : 0}`,
      );
    }
    const block = lines.join('\n') + '\n';
    written += Buffer.byteLength(block);
    if (!out.write(block)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const genMb = Number(args[args.indexOf('--gen-mb') + 1] || 200) || 200;
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : '';
  const datasets = path.resolve(here, '../../shared/datasets');
  const files: { name: string; file: string; temp?: boolean }[] = [];
  const extra = args.flatMap((a, i) => (a === '--file' && args[i + 1] ? [args[i + 1]] : []));
  if (only !== 'generated' && only !== 'files') {
    const manifest = JSON.parse(fs.readFileSync(path.join(datasets, 'manifest.json'), 'utf8')) as { name: string; file: string }[];
    const bySize = manifest
      .map((d) => ({ name: d.name, file: path.join(datasets, d.file) }))
      .sort((a, b) => fs.statSync(b.file).size - fs.statSync(a.file).size);
    files.push(...bySize.slice(0, 3));
  }
  let tempDir: string | null = null;
  for (const file of extra) files.push({ name: path.basename(file), file: path.resolve(file) });
  if (only !== 'shared' && only !== 'files') {
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sieve-bench-ingest-'));
    const file = path.join(tempDir, `generated-${genMb}mb.csv`);
    process.stderr.write(`generating ${genMb} MB CSV in ${tempDir} ...\n`);
    await generateCsv(file, genMb * 1e6);
    files.push({ name: `generated (${genMb} MB)`, file, temp: true });
  }
  const rows: string[] = [];
  const loadBefore = os.loadavg()[0].toFixed(2);
  try {
    for (const f of files) {
      const bytes = fs.statSync(f.file).size;
      process.stderr.write(`reading ${f.name} ...\n`);
      const r = await measure(f.file);
      const mb = bytes / 1e6;
      rows.push(
        `| ${f.name} | ${mb.toFixed(1)} | ${r.rows} × ${r.columns} | ${r.seconds.toFixed(2)} | ${(mb / r.seconds).toFixed(1)} | ${(mb / r.cpuSeconds).toFixed(1)} | ${(mb / r.warmSeconds).toFixed(1)} | ` +
          `${(r.peakRssDelta / 1e6).toFixed(0)} | ${(r.peakRssDelta / bytes).toFixed(2)} | ${((r.peakArrayBuffers - r.baseArrayBuffers) / 1e6).toFixed(0)} | ${r.types} |`,
      );
    }
  } finally {
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  }
  console.log(`\nCSV ingest (parse + type + profile, readCsvFile), Node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'}\n`);
  console.log(
    `Load average before / after: ${loadBefore} / ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} cores (wall-clock MB/s drops when other work shares the CPU).\n`,
  );
  console.log(
    '| file | MB | rows × cols | seconds (cold) | MB/s cold | MB/s per CPU-second (cold) | MB/s warm | peak RSS − baseline (MB, cold) | RSS / file size | peak ArrayBuffers (MB) | column types |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}
