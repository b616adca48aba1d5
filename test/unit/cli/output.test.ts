/**
 * The CLI's output survives a pipe, and every command refuses what it does not know.
 *
 * - A pipe's buffer is 64 KiB and Node writes to pipes asynchronously: exiting right after a big write
 *   used to cut `sieve profile wide.csv --json | cat` at 65,536 bytes, with exit code 0. The reader
 *   here is deliberately slow (it pauses before reading), so the pipe is full when the command ends.
 * - An unknown option (`--budgte 60`) used to be ignored silently by profile, run and predict.
 * - A message quotes at most 60 characters of a value the user typed (or a name from the file).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sieve-cli-out-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Outcome {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs the CLI; stdout and stderr are read as they come (Node gives a child a socket, not a pipe). */
function sieve(args: string[]): Promise<Outcome> {
  return spawned(spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/**
 * Runs the CLI with stdout on a real pipe (a shell's `|`) whose reader starts only after `pauseSeconds`,
 * so the pipe is full when the command finishes. pipefail: the exit code is the CLI's, not cat's.
 */
function sievePiped(args: string[], pauseSeconds: number): Promise<Outcome> {
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `set -o pipefail; '${process.execPath}' --import tsx src/cli/main.ts ${quoted} | { sleep ${pauseSeconds}; cat; }`;
  return spawned(spawn('bash', ['-c', script], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] }));
}

function spawned(child: ReturnType<typeof spawn>): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr }));
  });
}

describe('CLI output through a pipe', () => {
  it('a 2,000-column profile (~880 KB of JSON) arrives whole through a slow pipe', async () => {
    const cols = 2000;
    const file = path.join(dir, 'wide.csv');
    const header = Array.from({ length: cols }, (_, j) => `feature_number_${j}`).join(',');
    const rows = Array.from({ length: 30 }, (_, i) =>
      Array.from({ length: cols }, (_, j) => (j % 3 === 0 ? `level_${(i + j) % 4}` : String(i * j + 0.5))).join(','),
    );
    fs.writeFileSync(file, `${header}\n${rows.join('\n')}\n`);

    const { code, stdout, stderr } = await sievePiped(['profile', file, '--json'], 1);
    expect(code, stderr).toBe(0);
    expect(stdout.length).toBeGreaterThan(800_000);
    const json = JSON.parse(stdout.toString('utf8'));
    expect(json.columns).toHaveLength(cols);
    expect(json.columns[cols - 1].name).toBe(`feature_number_${cols - 1}`);
  });
});

describe('unknown options', () => {
  const csv = path.join(dir, 'small.csv');
  fs.writeFileSync(csv, 'x,y\n1,a\n2,b\n3,a\n4,b\n');

  it.each([
    ['profile', [csv, '--json', '--bogus', '1'], /^sieve: unknown option --bogus\. usage: sieve profile /],
    ['fit', [csv, '--target', 'y', '--model', 'gbdt', '--bogus', '1'], /^sieve: unknown option --bogus\. usage: sieve fit /],
    ['run', [csv, '--target', 'y', '--budgte', '60', '--bogus', '1'], /^sieve: unknown option --budgte\. usage: sieve run /],
    ['predict', ['model.zip', csv, '--bogus=1'], /^sieve: unknown option --bogus\. usage: sieve predict /],
    ['run (a known flag given a value)', [csv, '--target', 'y', '--json=yes'], /^sieve: option --json takes no value\. usage: sieve run /],
  ])('%s exits 2 with the usage line', async (name, args, pattern) => {
    const { code, stdout, stderr } = await sieve([name.split(' ')[0], ...args]);
    expect(code).toBe(2);
    expect(stdout.length).toBe(0);
    expect(stderr).toMatch(pattern);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('messages built from user input are short', () => {
  const csv = path.join(dir, 'messages.csv');
  fs.writeFileSync(csv, 'x,y\n1,a\n2,b\n');
  const huge = 'z'.repeat(100_000);

  it.each([
    ['profile', '--target', [csv, '--target', huge], /^sieve: Column "z{57}\.\.\." is not in the data\. Columns: x, y\n$/],
    ['profile', '--ragged', [csv, '--ragged', huge], /^sieve: --ragged must be keep or skip, got "z{57}\.\.\."\n$/],
    ['fit', '--model', [csv, '--target', 'y', '--model', huge], /^sieve: unknown model family "z{57}\.\.\."; valid: /],
    ['profile', 'an option name', [csv, `--${huge}`], /^sieve: unknown option --z{57}\.\.\.\. usage: sieve profile /],
  ])('%s, %s of 100,000 characters', async (name, _what, args, pattern) => {
    const { code, stderr } = await sieve([name, ...args]);
    expect(code).toBe(2);
    expect(stderr).toMatch(pattern);
    expect(stderr.length).toBeLessThan(1000);
  });
});
