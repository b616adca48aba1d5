/**
 * GBDT (and random forest) fit time versus scikit-learn, single-threaded, on synthetic tables shaped
 * like adult and california_housing (see synthetic-tables.ts); bench/gbdt-real.ts does the same on
 * the real CSVs.
 *
 *   npx tsx bench/gbdt-synthetic.ts [--only gbdt|forest] [--repeat 3] [--rounds 2] [--dataset adult|california]
 *
 * Each table is written as CSV to a temp folder for scikit-learn; see gbdt-compare.ts for the protocol.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { trainTestSplit } from '../src/core/eval/split.ts';
import { takeMatrixRows } from '../src/core/prep/matrix.ts';
import { argValue, benchForest, benchGbdt, type PreparedData } from './gbdt-compare.ts';
import { adultLike, californiaLike, tableToCsv, type SyntheticTable } from './synthetic-tables.ts';

function prepare(t: SyntheticTable, dir: string): PreparedData {
  const csv = path.join(dir, `${t.name}.csv`);
  fs.writeFileSync(csv, tableToCsv(t));
  const s = trainTestSplit(t.y, { testSize: 0.2, seed: 0, stratify: t.task !== 'regression' });
  return {
    name: t.name,
    task: t.task,
    nClasses: t.task === 'regression' ? 0 : 2,
    Xtr: takeMatrixRows(t.X, s.train),
    ytr: Float64Array.from(s.train, (r) => t.y[r]),
    Xte: takeMatrixRows(t.X, s.test),
    yte: Float64Array.from(s.test, (r) => t.y[r]),
    csv,
    target: t.targetName,
  };
}

async function main(): Promise<void> {
  const only = argValue('--only', 'all');
  const repeat = Number(argValue('--repeat', '3'));
  const rounds = Number(argValue('--rounds', '2'));
  const which = argValue('--dataset', 'all');
  const tables: SyntheticTable[] = [];
  if (which === 'all' || which === 'adult') tables.push(adultLike());
  if (which === 'all' || which === 'california') tables.push(californiaLike());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sieve-gbdt-bench-'));
  try {
    for (const t of tables) {
      const d = prepare(t, dir);
      if (only === 'all' || only === 'gbdt') await benchGbdt(d, repeat, rounds);
      if (only === 'all' || only === 'forest') await benchForest(d, repeat);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
