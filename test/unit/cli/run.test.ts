import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { datasetPath } from '../../helpers/datasets.ts';

const exec = promisify(execFile);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const tsx = path.join(repo, 'node_modules/.bin/tsx');
const sieve = (...args: string[]) => exec(tsx, ['src/cli/main.ts', ...args], { cwd: repo, maxBuffer: 32 * 1024 * 1024 });
const failure = (...args: string[]) =>
  sieve(...args).then(
    () => null,
    (err: { code: number; stderr: string }) => err,
  );

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('sieve run', () => {
  it('runs a reproducible search and prints the result contract as the last JSON line', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'sieve-run-'));
    dirs.push(out);
    const args = [
      'run',
      datasetPath('titanic'),
      '--target',
      'Survived',
      '--exclude',
      'PassengerId,Name,Ticket',
      '--max-trials',
      '8',
      '--seed',
      '1',
      '--workers',
      '2',
      '--json',
    ];
    const { stdout } = await sieve(...args, '--out', out);
    const result = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(result).toMatchObject({ task: 'binary', metric: 'roc_auc', trials: 8 });
    expect(Object.keys(result.winner)).toEqual(expect.arrayContaining(['name', 'family', 'params', 'features', 'cvScore']));
    expect(Object.keys(result.test).sort()).toEqual(['accuracy', 'balanced_accuracy', 'f1', 'log_loss', 'roc_auc']);
    expect(result.test.roc_auc).toBeGreaterThan(0.8);
    expect(result.elapsedSeconds).toBeGreaterThan(0);
    expect(result.selectedFeatures.length).toBeGreaterThan(0);
    expect(result.selectedFeatures).not.toContain('Name');
    const excluded = result.droppedFeatures.find((d: { name: string }) => d.name === 'Name');
    expect(excluded.reason).toMatch(/excluded/);
    expect(result.ab).toMatchObject({ metric: 'roc_auc' });
    expect(result.ab.ci).toHaveLength(2);
    expect(['better', 'worse', 'no-significant-difference']).toContain(result.ab.verdict);
    const board = JSON.parse(await readFile(path.join(out, 'leaderboard.json'), 'utf8'));
    expect(board.trials.length).toBeGreaterThanOrEqual(8);
    for (const t of board.trials) expect(t).toHaveProperty('cvScore');

    // Same seed and trial count: the same leaderboard.
    const again = JSON.parse((await sieve(...args)).stdout.trim().split('\n').pop()!);
    expect(again.winner).toEqual(result.winner);
    expect(again.test).toEqual(result.test);
  }, 180_000);

  it('--max-rows on a classification table reads a sample stratified by the target, says so before reading, and reports it', async () => {
    const { stdout, stderr } = await sieve(
      'run',
      datasetPath('adult'),
      '--target',
      'income',
      '--max-rows',
      '3000',
      '--max-trials',
      '2',
      '--families',
      'linear',
      '--json',
    );
    expect(stderr).toContain('Sieve will use a seeded random sample of 3,000 rows (stratified by "income", seed 42), read in one pass.');
    const result = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(result.sampledFrom).toEqual({ totalRows: 48842, keptRows: 3000, seed: 42, method: 'stratified reservoir', stratifiedBy: 'income' });
    expect(result.testRows + result.searchRows).toBe(3000);
  }, 120_000);

  it('reports the existing-process comparison and the success criterion', async () => {
    const { stdout } = await sieve(
      'run',
      datasetPath('iris'),
      '--target',
      'species',
      '--metric',
      'accuracy',
      '--max-trials',
      '4',
      '--success-threshold',
      '0.8',
      '--explain',
      '--json',
    );
    const result = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(result.success).toMatchObject({ metric: 'accuracy', threshold: 0.8, met: true });
    expect(result.ab.test).toMatch(/McNemar/);
    expect(result.importance.length).toBe(4);
  }, 120_000);

  it('gives one-line errors and a non-zero exit for bad arguments', async () => {
    const unknown = await failure('run', datasetPath('iris'), '--target', 'nope', '--max-trials', '2');
    expect(unknown?.code).toBe(2);
    expect(unknown?.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown?.stderr).toMatch(/unknown target "nope"/);
    const wrongMetric = await failure('run', datasetPath('iris'), '--target', 'species', '--metric', 'rmse', '--max-trials', '2');
    expect(wrongMetric?.stderr).toMatch(/metric "rmse" is for regression/);
    const badSearch = await failure('run', datasetPath('iris'), '--target', 'species', '--search', 'bayes');
    expect(badSearch?.stderr).toMatch(/--search must be one of/);
  }, 120_000);
});
