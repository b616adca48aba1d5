import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../../src/cli/args.ts';
import { fitAndScore } from '../../../src/cli/fit.ts';
import { readCsvFile } from '../../../src/node/read-csv.ts';
import { datasetPath } from '../../helpers/datasets.ts';

const run = promisify(execFile);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const tsx = path.join(repo, 'node_modules/.bin/tsx');
const sieve = (...args: string[]) => run(tsx, ['src/cli/main.ts', ...args], { cwd: repo });

describe('sieve fit', () => {
  it('fits on a seeded stratified 80/20 split and prints the result as the last JSON line', async () => {
    const { stdout } = await sieve(
      'fit',
      datasetPath('titanic'),
      '--target',
      'Survived',
      '--model',
      'linear',
      '--exclude',
      'PassengerId,Name,Ticket',
      '--seed',
      '3',
      '--json',
    );
    const lines = stdout.trim().split('\n');
    const result = JSON.parse(lines[lines.length - 1]);
    expect(result).toMatchObject({ model: 'linear', task: 'binary', target: 'Survived', backend: 'wasm', rows: { train: 713, test: 178, missingTarget: 0 } });
    expect(result.params).toMatchObject({ alpha: 1e-4, l1_ratio: 0 });
    expect(Object.keys(result.test).sort()).toEqual(['accuracy', 'balanced_accuracy', 'f1', 'log_loss', 'roc_auc']);
    expect(result.test.roc_auc).toBeGreaterThan(0.75);
    expect(result.fitSeconds).toBeGreaterThan(0);
    expect(result.predictSeconds).toBeGreaterThanOrEqual(0);
  });

  it('exits 2 with a one-line message for bad parameters JSON', async () => {
    const failure = await sieve('fit', datasetPath('iris'), '--target', 'species', '--model', 'knn', '--params', '{k:3}').then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr.trim().split('\n')).toHaveLength(1);
    expect(failure?.stderr).toMatch(/^sieve: --params is not valid JSON/);
  });
});

describe('fitAndScore', () => {
  it('scores regression with rmse, mae and r2, and is reproducible for a seed', async () => {
    const { frame } = await readCsvFile(datasetPath('insurance'));
    const opts = { target: 'charges', model: 'naive_bayes', params: {}, seed: 1, testSize: 0.25, exclude: [] };
    await expect(fitAndScore(frame, opts)).rejects.toThrow(/cannot do regression/);
    const a = await fitAndScore(frame, { ...opts, model: 'linear' });
    expect(a.rows).toEqual({ train: 1003, test: 335, missingTarget: 0 });
    expect(Object.keys(a.test).sort()).toEqual(['mae', 'r2', 'rmse']);
    expect(a.test.r2).toBeGreaterThan(0.65);
    const b = await fitAndScore(frame, { ...opts, model: 'linear' });
    expect(b.test).toEqual(a.test);
  });

  it('turns user mistakes into CliErrors naming the problem', async () => {
    const { frame } = await readCsvFile(datasetPath('iris'));
    const base = { target: 'species', model: 'linear', params: {}, seed: 0, testSize: 0.2, exclude: [] };
    const fails = (over: object) => fitAndScore(frame, { ...base, ...over });
    await expect(fails({ target: 'colour' })).rejects.toThrow(CliError);
    await expect(fails({ target: 'colour' })).rejects.toThrow(/Column "colour" is not in the data/);
    await expect(fails({ model: 'svm' })).rejects.toThrow(/unknown model family "svm"/);
    await expect(fails({ params: { alpha: 'big' } })).rejects.toThrow(/alpha="big" is invalid/);
    await expect(fails({ exclude: ['petal'] })).rejects.toThrow(/--exclude: Column "petal"/);
  });
});
