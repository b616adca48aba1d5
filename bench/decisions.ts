/**
 * `npm run bench:decisions [-- --budget 10]`: the figures of issue #14 on the shared datasets, each a
 * `sieve run` with a modest budget (default 10 s; the monotonic comparison 20 s):
 *
 *   1. Costs: every binary dataset with a false negative costing 5× a false positive — expected cost per
 *      1,000 test cases at the tuned threshold against 0.5, with the tuned one's bootstrap CI.
 *   2. Operating target: recall ≥ 0.8 on every binary dataset — achieved on the test split, with its CI.
 *   3. Calibration: every classification dataset — ECE before/after and test log loss before/after.
 *   4. Constraints: a sweep of latency and size limits over 5 datasets — do the winners satisfy them?
 *   5. Monotonic: california_housing (median_income +1) and adult (education_num +1) with and without the
 *      constraint — ICE violations on every test row (100-point grid) and the test metric it costs.
 *
 * Prints Markdown tables and writes test-artifacts/bench-decisions.json.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { datasetPath, manifest } from './peers.ts';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const budget = opt('budget', '10');
const monoBudget = opt('mono-budget', '20');
const only = opt('only', '1,2,3,4,5').split(',');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function run(name: string, extra: string[], seconds = budget): Promise<Json> {
  const entry = manifest().find((m) => m.name === name)!;
  const argv = ['tsx', 'src/cli/main.ts', 'run', datasetPath(entry), '--target', entry.target, '--budget', seconds, '--workers', '1', '--json', ...extra];
  if (entry.id_columns?.length) argv.push('--exclude', entry.id_columns.join(','));
  return new Promise((resolve, reject) => {
    const child = spawn('npx', argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${name} ${extra.join(' ')} failed (${code}): ${stderr.trim().split('\n').pop()}`));
      resolve(JSON.parse(stdout.trim().split('\n').pop()!) as Json);
    });
  });
}

const f = (v: number, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : '—');
const results: Json = {};
const binary = manifest()
  .filter((m) => m.task === 'binary')
  .map((m) => m.name);
const classification = manifest()
  .filter((m) => m.task !== 'regression')
  .map((m) => m.name);

if (only.includes('1') || only.includes('3')) {
  console.log(`\n## 1. Costs (fp = 1, fn = 5) and 3. calibration — sieve run --budget ${budget} --costs fp=1,fn=5\n`);
  console.log(
    '| dataset | winner | threshold | cost/1000 tuned | 95 % CI | cost/1000 at 0.5 | tuned ≤ 0.5 | calibration | ECE before | ECE after | log loss before | log loss after |',
  );
  console.log('|---|---|---:|---:|---|---:|---|---|---:|---:|---:|---:|');
  for (const name of classification) {
    const out = await run(name, binary.includes(name) ? ['--costs', 'fp=1,fn=5'] : []);
    results[`costs:${name}`] = { winner: out.winner.name, calibration: out.calibration, decision: out.decision, test: out.test };
    const d = out.decision;
    const c = out.calibration;
    console.log(
      `| ${name} | ${out.winner.name} | ${d ? f(d.threshold) : '—'} | ${d ? f(d.expectedCostPer1000.tuned, 1) : '—'} | ${d ? `${f(d.expectedCostPer1000.ci[0], 1)}–${f(d.expectedCostPer1000.ci[1], 1)}` : '—'} | ` +
        `${d ? f(d.expectedCostPer1000.atHalf, 1) : '—'} | ${d ? (d.expectedCostPer1000.tuned <= d.expectedCostPer1000.atHalf ? 'yes' : 'NO') : '—'} | ${c.method} | ${f(c.eceBefore)} | ${f(c.eceAfter)} | ${f(c.logLossBefore, 4)} | ${f(c.logLossAfter, 4)} |`,
    );
  }
  const cal = classification.map((n) => results[`costs:${n}`]?.calibration).filter(Boolean);
  const better = cal.filter((c: Json) => c.eceAfter <= c.eceBefore + 1e-12).length;
  const worstLl = Math.max(...cal.map((c: Json) => c.logLossAfter / c.logLossBefore - 1));
  console.log(
    `\nECE after ≤ before on ${better} of ${cal.length} classification datasets (${f((100 * better) / cal.length, 0)} %); largest relative change of test log loss ${f(100 * worstLl, 2)} %.`,
  );
}

if (only.includes('2')) {
  console.log(`\n## 2. Operating target — sieve run --budget ${budget} --target-recall 0.8\n`);
  console.log('| dataset | threshold | recall achieved | 95 % CI | met | met within CI |');
  console.log('|---|---:|---:|---|---|---|');
  for (const name of binary) {
    const out = await run(name, ['--target-recall', '0.8']);
    const t = out.decision.target;
    results[`target:${name}`] = out.decision;
    console.log(
      `| ${name} | ${f(out.decision.threshold)} | ${f(t.achieved)} | ${f(t.ci[0])}–${f(t.ci[1])} | ${t.met ? 'yes' : 'no'} | ${t.metWithinCi ? 'yes' : 'NO'} |`,
    );
  }
}

if (only.includes('4')) {
  const sweep = ['titanic', 'pima_diabetes', 'german_credit', 'penguins', 'insurance'];
  const limits = [
    ['--max-predict-ms', '1', '--max-bundle-kb', '70'],
    ['--max-predict-ms', '3', '--max-bundle-kb', '120'],
    ['--max-predict-ms', '10'],
    ['--max-bundle-kb', '90'],
  ];
  console.log(`\n## 4. Constraint sweep — sieve run --budget ${budget} with latency / size limits\n`);
  console.log('| dataset | limits | winner | ms / 1000 rows | bundle KB | trials breaking a limit | satisfied |');
  console.log('|---|---|---|---:|---:|---:|---|');
  let satisfied = 0;
  let total = 0;
  let refused = 0;
  for (const name of sweep) {
    for (const l of limits) {
      total++;
      try {
        const out = await run(name, l);
        const c = out.constraints;
        if (c.satisfied) satisfied++;
        results[`constraints:${name}:${l.join(' ')}`] = c;
        console.log(
          `| ${name} | ${l.join(' ')} | ${out.winner.name} | ${f(c.measured.predictMsPer1000, 2)} | ${f(c.measured.bundleKb, 1)} | ${c.breakingTrials ?? '—'} | ${c.satisfied ? 'yes' : `NO (${(c.breaks ?? []).join('; ')})`} |`,
        );
      } catch (err) {
        total--;
        if (/no model met the deployment constraints/.test((err as Error).message)) refused++;
        results[`constraints:${name}:${l.join(' ')}`] = { error: (err as Error).message };
        console.log(`| ${name} | ${l.join(' ')} | — | — | — | — | no model: ${(err as Error).message.slice(0, 120)} |`);
      }
    }
  }
  console.log(
    `\nWinners satisfying every limit set: ${satisfied} of ${total} runs with a winner; ${refused} runs ended with no model meeting the limits (no winner, as asked).`,
  );
}

if (only.includes('5')) {
  console.log(`\n## 5. Monotonic effects — sieve run --budget ${monoBudget}\n`);
  console.log('| dataset | constraint | winner | test metric | unconstrained winner | unconstrained test metric | ICE violations (rows × 99 steps) |');
  console.log('|---|---|---|---:|---|---:|---:|');
  for (const [name, col, metric] of [
    ['california_housing', 'median_income', 'rmse'],
    ['adult', 'education_num', 'roc_auc'],
  ] as const) {
    const free = await run(name, ['--seed', '0'], monoBudget);
    const mono = await run(name, ['--seed', '0', '--monotonic', `${col}=+1`], monoBudget);
    const check = mono.constraints.monotonicChecks[0];
    results[`monotonic:${name}`] = {
      free: { winner: free.winner.name, test: free.test },
      mono: { winner: mono.winner.name, test: mono.test, constraints: mono.constraints },
    };
    console.log(
      `| ${name} | ${col} +1 | ${mono.winner.name} | ${metric} ${f(mono.test[metric], 4)} | ${free.winner.name} | ${metric} ${f(free.test[metric], 4)} | ${check.violations} of ${check.rows} × ${check.gridPoints - 1} |`,
    );
  }
}

mkdirSync('test-artifacts', { recursive: true });
writeFileSync(path.join('test-artifacts', 'bench-decisions.json'), JSON.stringify(results, null, 1));
