/**
 * The decision contract of `sieve run --json` (issue #14) and `sieve predict` at the tuned threshold:
 * calibration, decision (costs or an operating target), constraints with measured values, monotonic
 * checks; option mistakes exit with code 2 and one line.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { datasetPath } from '../../helpers/datasets.ts';

const exec = promisify(execFile);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const tsx = path.join(repo, 'node_modules/.bin/tsx');
const sieve = (...args: string[]) => exec(tsx, ['src/cli/main.ts', ...args], { cwd: repo, maxBuffer: 32 * 1024 * 1024 });
const last = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop()!);
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('sieve run: decisions', () => {
  it('costs: calibration, tuned threshold, expected cost per 1,000 with a CI; the bundle and sieve predict label at the threshold', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'sieve-dec-'));
    dirs.push(out);
    const r = last(
      (
        await sieve(
          'run',
          datasetPath('pima_diabetes'),
          '--target',
          'Outcome',
          '--max-trials',
          '4',
          '--workers',
          '1',
          '--costs',
          'fp=1,fn=5',
          '--json',
          '--out',
          out,
        )
      ).stdout,
    );
    expect(r.calibration).toMatchObject({ method: expect.stringMatching(/^(none|platt|isotonic)$/) });
    expect(r.calibration.eceBefore).toBeGreaterThanOrEqual(0);
    expect(r.calibration.eceAfter).toBeGreaterThanOrEqual(0);
    expect(r.decision).toMatchObject({ costs: { fp: 1, fn: 5 }, positive: '1' });
    // A false negative 5× as costly: the tuned threshold sits well below 0.5.
    expect(r.decision.threshold).toBeLessThan(0.45);
    const { tuned, atHalf, ci } = r.decision.expectedCostPer1000;
    expect(ci[0]).toBeLessThanOrEqual(tuned);
    expect(ci[1]).toBeGreaterThanOrEqual(tuned);
    expect(atHalf).toBeGreaterThan(0);
    const c = r.decision.confusion;
    expect(tuned).toBeCloseTo((1000 * (c.fp + 5 * c.fn)) / (c.tp + c.fp + c.tn + c.fn), 2);
    expect(r.constraints).toBeUndefined();

    const csv = path.join(out, 'p.csv');
    await sieve('predict', path.join(out, 'bundle.zip'), datasetPath('pima_diabetes'), '--out', csv, '--json');
    const rows = Papa.parse<Record<string, string>>(await readFile(csv, 'utf8'), { header: true, skipEmptyLines: true }).data;
    let between = 0;
    for (const row of rows) {
      const p1 = Number(row.proba_1);
      expect(row.prediction).toBe(p1 >= r.decision.threshold ? '1' : '0');
      if (p1 >= r.decision.threshold && p1 < 0.5) between++;
    }
    // Rows the threshold labels differently from 0.5 exist, so the check above is not vacuous.
    expect(between).toBeGreaterThan(0);
  }, 180_000);

  it('an operating target reports what it achieved, with a CI; constraints report measured values and the ICE check', async () => {
    const r = last(
      (
        await sieve(
          'run',
          datasetPath('titanic'),
          '--target',
          'Survived',
          '--exclude',
          'PassengerId,Name,Ticket',
          '--max-trials',
          '6',
          '--workers',
          '1',
          '--target-recall',
          '0.8',
          '--monotonic',
          'Fare=+1',
          '--max-predict-ms',
          '500',
          '--json',
        )
      ).stdout,
    );
    expect(r.decision.target).toMatchObject({ kind: 'recall', value: 0.8 });
    expect(r.decision.target.ci[0]).toBeLessThanOrEqual(r.decision.target.achieved);
    expect(r.decision.costs).toEqual({ fp: 1, fn: 1 });
    expect(r.constraints).toMatchObject({ maxPredictMs: 500, maxBundleKb: null, readable: false, monotonic: { Fare: 1 }, satisfied: true });
    expect(r.constraints.measured.predictMsPer1000).toBeGreaterThan(0);
    expect(r.constraints.monotonicChecks).toEqual([expect.objectContaining({ column: 'Fare', direction: 1, violations: 0, gridPoints: 100 })]);
    expect(['gbdt', 'linear', 'ensemble']).toContain(r.winner.family);
  }, 180_000);

  it('refuses bad decision options with one line and exit code 2', async () => {
    const fail = (...args: string[]) =>
      sieve(...args).then(
        () => null,
        (e: { code: number; stderr: string }) => e,
      );
    const base = ['run', datasetPath('iris'), '--target', 'species', '--json'];
    for (const [extra, message] of [
      [['--costs', 'fp=1,fx=2'], /--costs takes fp=/],
      [['--target-recall', '1.5'], /share in \(0, 1\]/],
      [['--target-recall', '0.8', '--max-flag-rate', '0.1'], /one operating target/],
      [['--monotonic', 'petal_length=up'], /must be \+1/],
      [['--costs', 'fp=1,fn=5'], /binary/],
    ] as const) {
      const err = await fail(...base, ...extra);
      expect(err?.code).toBe(2);
      expect(err?.stderr.trim().split('\n')).toHaveLength(1);
      expect(err?.stderr).toMatch(message);
    }
  }, 120_000);
});
