/**
 * Pins two small `--max-trials` runs byte for byte: the leaderboard file and the result line, with
 * only the wall-clock fields (`seconds`, `elapsedSeconds`) and the bundle's path taken out. A
 * refactor that changes what the search tries, in what order, or what it scores fails here.
 *
 * After a change that is meant to alter results, regenerate the pins with
 * `SIEVE_UPDATE_PINS=1 npx vitest run test/unit/cli/pinned-run.test.ts` and say why in the commit.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { datasetPath } from '../../helpers/datasets.ts';

const exec = promisify(execFile);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const tsx = path.join(repo, 'node_modules/.bin/tsx');
const update = process.env.SIEVE_UPDATE_PINS === '1';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const TIMING_KEYS = new Set(['seconds', 'elapsedSeconds', 'bundle']);

/** The JSON text with wall-clock fields removed, keys in their original order. */
function withoutTiming(value: unknown): string {
  return JSON.stringify(value, (key, v) => (TIMING_KEYS.has(key) ? undefined : v), 2) + '\n';
}

async function pinnedRun(name: string, args: string[]): Promise<void> {
  const out = await mkdtemp(path.join(os.tmpdir(), 'sieve-pin-'));
  dirs.push(out);
  const { stdout } = await exec(tsx, ['src/cli/main.ts', 'run', ...args, '--workers', '1', '--out', out, '--json'], {
    cwd: repo,
    maxBuffer: 32 * 1024 * 1024,
  });
  const result = JSON.parse(stdout.trim().split('\n').pop()!);
  const board = JSON.parse(await readFile(path.join(out, 'leaderboard.json'), 'utf8'));
  const actual = withoutTiming({ leaderboard: board, result });
  const file = path.join(repo, 'test/fixtures', `pinned-run-${name}.json`);
  if (update) await writeFile(file, actual);
  expect(actual).toBe(await readFile(file, 'utf8'));
}

describe('pinned --max-trials runs', () => {
  it('titanic, 6 trials: the same leaderboard and result, byte for byte', async () => {
    await pinnedRun('titanic', [datasetPath('titanic'), '--target', 'Survived', '--exclude', 'PassengerId,Name,Ticket', '--max-trials', '6', '--seed', '1']);
  }, 120_000);

  it('auto_mpg (regression), 5 trials: the same leaderboard and result, byte for byte', async () => {
    await pinnedRun('auto_mpg', [datasetPath('auto_mpg'), '--target', 'mpg', '--max-trials', '5', '--seed', '2']);
  }, 120_000);
});
