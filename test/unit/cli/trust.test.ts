/**
 * The CLI contract of issue #15: `sieve run --coverage C --json` reports `conformal: {method, coverage,
 * achieved, meanWidth}`; `sieve predict` writes `<target>_lower` / `<target>_upper` and, with
 * `--drift --json`, `{rows, drift: {verdict, columns: [{name, psi, outOfRangeShare, unseenCategories,
 * missingRateChange, verdict}]}}`, flagging exactly the columns of a generated shift.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellText } from '../../../src/core/data/frame.ts';
import { shiftedRows } from '../../../src/core/drift/shifts.ts';
import { csvLine } from '../../../src/core/export/csv-out.ts';
import { readCsvFile } from '../../../src/node/read-csv.ts';
import { datasetPath } from '../../helpers/datasets.ts';
import { tempDir } from '../export/fixtures.ts';

const exec = promisify(execFile);
const repo = path.resolve(__dirname, '../../..');
const tsx = path.join(repo, 'node_modules/.bin/tsx');
const sieve = (...args: string[]) => exec(tsx, ['src/cli/main.ts', ...args], { cwd: repo, timeout: 180_000 });
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop()!);

const { dir, cleanup } = tempDir('sieve-cli-trust-');
afterAll(cleanup);
let run: { bundle: string; conformal: Record<string, unknown>; testRows: number };

beforeAll(async () => {
  const { stdout } = await sieve(
    'run',
    datasetPath('insurance'),
    '--target',
    'charges',
    '--families',
    'gbdt,linear',
    '--max-trials',
    '3',
    '--workers',
    '1',
    '--coverage',
    '0.8',
    '--out',
    path.join(dir, 'run'),
    '--json',
  );
  run = lastJson(stdout);
}, 240_000);

describe('sieve run --coverage', () => {
  it('reports the conformal intervals measured on the test split', () => {
    expect(Object.keys(run.conformal).slice(0, 4)).toEqual(['method', 'coverage', 'achieved', 'meanWidth']);
    expect(run.conformal.coverage).toBe(0.8);
    expect(['split', 'mondrian']).toContain(run.conformal.method);
    // 268 test rows: 0.8 ± 3 standard errors.
    expect(run.conformal.achieved).toBeGreaterThan(0.72);
    expect(run.conformal.achieved).toBeLessThan(0.88);
    expect(run.conformal.meanWidth).toBeGreaterThan(0);
  });
});

describe('sieve predict with intervals and --drift', () => {
  it('writes charges_lower / charges_upper around the prediction, and nothing drifts on the training file', async () => {
    const out = path.join(dir, 'same.csv');
    const { stdout } = await sieve('predict', run.bundle, datasetPath('insurance'), '--out', out, '--drift', '--json');
    const result = lastJson(stdout);
    expect(result.rows).toBe(1338);
    expect(result.drift.columns.map((c: { name: string }) => c.name)).toEqual(['age', 'sex', 'bmi', 'children', 'smoker', 'region']);
    expect(result.drift.columns.every((c: { verdict: string }) => c.verdict === 'stable')).toBe(true);
    expect(result.drift.verdict).toMatch(/^No drift/);
    const { frame } = await readCsvFile(out);
    const [pred, lo, hi] = ['prediction', 'charges_lower', 'charges_upper'].map((n) => frame.columns.find((c) => c.name === n)!);
    for (let r = 0; r < frame.rows; r++) {
      const p = Number(cellText(pred, r));
      expect(Number(cellText(lo, r))).toBeLessThan(p);
      expect(Number(cellText(hi, r))).toBeGreaterThan(p);
    }
    // --coverage 0.5 gives narrower intervals than the bundle's 0.8.
    const narrow = path.join(dir, 'narrow.csv');
    await sieve('predict', run.bundle, datasetPath('insurance'), '--out', narrow, '--coverage', '0.5');
    const { frame: f2 } = await readCsvFile(narrow);
    const width = (f: typeof frame) =>
      Number(
        cellText(
          f.columns.find((c) => c.name === 'charges_upper')!,
          0,
        ),
      ) -
      Number(
        cellText(
          f.columns.find((c) => c.name === 'charges_lower')!,
          0,
        ),
      );
    expect(width(f2)).toBeLessThan(width(frame));
  });

  it('flags exactly the shifted columns of a generated shift', async () => {
    const { frame } = await readCsvFile(datasetPath('insurance'));
    const rows = Int32Array.from({ length: 400 }, (_, i) => i * 3);
    const shifted = shiftedRows(frame, rows, { meanShift: ['age', 'bmi'], newCategory: ['region'], missingJump: ['children'], seed: 9 });
    const csv = path.join(dir, 'shifted.csv');
    const lines = [csvLine(shifted.columns.map((c) => c.name))];
    for (let r = 0; r < shifted.rows; r++) lines.push(csvLine(shifted.columns.map((c) => cellText(c, r))));
    fs.writeFileSync(csv, `${lines.join('\n')}\n`);
    const { stdout } = await sieve('predict', run.bundle, csv, '--out', path.join(dir, 'shifted.predictions.csv'), '--drift', '--json');
    const { drift, rows: scoredRows } = lastJson(stdout);
    expect(scoredRows).toBe(400);
    const flagged = drift.columns.filter((c: { verdict: string }) => c.verdict !== 'stable').map((c: { name: string }) => c.name);
    expect(flagged.sort()).toEqual(['age', 'bmi', 'children', 'region']);
    const region = drift.columns.find((c: { name: string }) => c.name === 'region');
    expect(region).toMatchObject({ unseenCategories: 1, verdict: 'major' });
    expect(Object.keys(region)).toEqual(expect.arrayContaining(['name', 'psi', 'outOfRangeShare', 'unseenCategories', 'missingRateChange', 'verdict']));
    expect(drift.columns.find((c: { name: string }) => c.name === 'children').missingRateChange).toBeGreaterThan(0.2);
    expect(drift.verdict).toMatch(/^Major drift in /);
  });
});
