/**
 * `npm run bench [-- --budget 60 --only adult,iris]`: runs `sieve run` on every shared dataset (manifest
 * id_columns dropped) and prints a Markdown table of test metrics beside scikit-learn's references
 * (../shared/peers/results.jsonl), with trials and peak memory (VmHWM of the run's process).
 *
 * Same rows: the run holds out exactly the test rows scikit-learn was scored on (its 80/20
 * train_test_split with random_state 0, reproduced by test/helpers/sklearn-split.ts, passed with
 * --test-rows), so the two figures differ by the models alone, not by which rows were drawn.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { referenceData } from '../test/helpers/reference-data.ts';
import { datasetPath, headlineMetric, manifest, peerResults } from './peers.ts';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const budget = Number(opt('budget', '60'));
const only = opt('only', '').split(',').filter(Boolean);

interface RunOutput {
  test: Record<string, number>;
  trials: number;
  elapsedSeconds: number;
  winner: { name: string };
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sieve-bench-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

function runOne(file: string, target: string, exclude: string[], testRowsFile: string): Promise<{ out: RunOutput; peakMb: number }> {
  return new Promise((resolve, reject) => {
    const argv = ['tsx', 'src/cli/main.ts', 'run', file, '--target', target, '--budget', String(budget), '--test-rows', testRowsFile, '--json'];
    if (exclude.length) argv.push('--exclude', exclude.join(','));
    const child = spawn('npx', argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peakKb = 0;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // npx → node: sample every descendant's VmHWM (peak resident set) while it runs.
    const timer = setInterval(() => {
      for (const pid of descendants(child.pid!)) {
        try {
          const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
          if (m) peakKb = Math.max(peakKb, Number(m[1]));
        } catch {
          // the process ended between listing and reading
        }
      }
    }, 200);
    child.on('close', (code) => {
      clearInterval(timer);
      if (code !== 0) return reject(new Error(`run failed (${code}): ${stderr.trim().split('\n').pop()}`));
      const last = stdout.trim().split('\n').pop()!;
      resolve({ out: JSON.parse(last) as RunOutput, peakMb: peakKb / 1024 });
    });
  });
}

function descendants(pid: number): number[] {
  const out = [pid];
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    for (const c of children) out.push(...descendants(c));
  } catch {
    // gone
  }
  return out;
}

const peers = peerResults();
const rows: string[] = [];
let beatsSearch = 0;
let withinBest = 0;
let counted = 0;
console.log(`Sieve vs scikit-learn references, ${budget} s budget per dataset\n`);
console.log('| dataset | metric | sieve | hgb_random_search | best reference | vs search | within tolerance of best | trials | winner | elapsed s | peak MB |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const entry of manifest()) {
  if (only.length && !only.includes(entry.name)) continue;
  const { name: metric, higher } = headlineMetric(entry.task);
  const refs = peers.filter((p) => p.dataset === entry.name && p.model !== 'trivial');
  const search = refs.find((p) => p.model === 'hgb_random_search')?.metrics[metric];
  const best = refs.reduce((b, p) => ((higher ? p.metrics[metric] > b.metrics[metric] : p.metrics[metric] < b.metrics[metric]) ? p : b));
  try {
    const testRowsFile = path.join(tmp, `${entry.name}-test-rows.json`);
    writeFileSync(testRowsFile, JSON.stringify(Array.from((await referenceData(entry.name)).testRows)));
    const { out, peakMb } = await runOne(datasetPath(entry), entry.target, entry.id_columns ?? [], testRowsFile);
    const ours = out.test[metric];
    const geSearch = search === undefined ? false : higher ? ours >= search : ours <= search;
    const bestV = best.metrics[metric];
    const tol = metric === 'roc_auc' ? ours >= bestV - 0.01 : metric === 'r2' ? ours >= bestV - 0.02 : ours <= bestV * 1.05;
    counted++;
    if (geSearch) beatsSearch++;
    if (tol) withinBest++;
    const line = `| ${entry.name} | ${metric} | ${ours.toFixed(4)} | ${search?.toFixed(4) ?? '–'} | ${bestV.toFixed(4)} (${best.model}) | ${geSearch ? '≥' : '<'} | ${tol ? 'yes' : 'no'} | ${out.trials} | ${out.winner.name} | ${out.elapsedSeconds.toFixed(1)} | ${peakMb.toFixed(0)} |`;
    rows.push(line);
    console.log(line);
  } catch (err) {
    console.log(`| ${entry.name} | ${metric} | error: ${(err as Error).message} |`);
  }
}
console.log(`\n≥ hgb_random_search on ${beatsSearch}/${counted} datasets; within tolerance of the best reference on ${withinBest}/${counted}.`);
