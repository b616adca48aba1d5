/** `sieve profile` end to end, as a user runs it: a table, then the JSON object on the last line; bad files exit 2 with one line. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { datasetPath } from '../../helpers/datasets.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function sieve(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: repo }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('sieve profile', () => {
  it('prints a readable table, then the profile as JSON on the last line', async () => {
    const { code, stdout, stderr } = await sieve('profile', datasetPath('titanic'), '--target', 'Survived');
    expect(code, stderr).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/titanic\.csv: 891 rows × 12 columns \(delimiter ,, utf-8\)/);
    expect(stdout).toMatch(/Age\s+numeric\s+177\s+88/);
    const json = JSON.parse(lines[lines.length - 1]);
    expect(json.rows).toBe(891);
    expect(json.columns).toHaveLength(12);
    expect(json.columns[0]).toMatchObject({ name: 'PassengerId', type: 'identifier', missing: 0, distinct: 891 });
    expect(json.warnings).toContainEqual(expect.objectContaining({ column: 'Cabin', kind: 'heavy-missing' }));
    expect(json).toMatchObject({ delimiter: ',', encoding: 'utf-8', notes: [] });
  });

  it('--json prints only the JSON line', async () => {
    const { code, stdout } = await sieve('profile', datasetPath('iris'), '--json');
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(stdout).columns.map((c: { type: string }) => c.type)).toEqual(['numeric', 'numeric', 'numeric', 'numeric', 'categorical']);
  });

  it('--max-rows reads a seeded sample, says so on stderr before reading, and gives sampledFrom in the JSON', async () => {
    const { code, stdout, stderr } = await sieve('profile', datasetPath('adult'), '--max-rows', '2000', '--json');
    expect(code, stderr).toBe(0);
    expect(stderr).toBe(
      'This file has about 49k rows; the row limit is set to 2,000. Sieve will use a seeded random sample of 2,000 rows (uniform, seed 42), read in one pass.\n',
    );
    const json = JSON.parse(stdout);
    expect(json.rows).toBe(2000);
    expect(json.sampledFrom).toEqual({ totalRows: 48842, keptRows: 2000, seed: 42, method: 'uniform reservoir' });
    expect(json.notes.map((n: { kind: string }) => n.kind)).toEqual(['sample']);
    // A limit above the row count reads every row, silently.
    const all = await sieve('profile', datasetPath('titanic'), '--max-rows', '5000', '--json');
    expect(all.stderr).toBe('');
    expect(JSON.parse(all.stdout)).not.toHaveProperty('sampledFrom');
    const bad = await sieve('profile', datasetPath('titanic'), '--max-rows', '0');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--max-rows must be a whole number of at least 1/);
  });

  it('a bad file exits 2 with a one-line message on stderr', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sieve-cli-'));
    try {
      const headerOnly = path.join(dir, 'h.csv');
      fs.writeFileSync(headerOnly, 'a,b\n');
      const binary = path.join(dir, 'b.csv');
      fs.writeFileSync(binary, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0]));
      for (const [file, pattern] of [
        [headerOnly, /^sieve: The file has a header \(2 columns: "a", "b"\) but no data rows\.\n$/],
        [binary, /^sieve: This is not a CSV file: it is a ZIP archive/],
        [path.join(dir, 'missing.csv'), /^sieve: No such file: /],
      ] as const) {
        const { code, stdout, stderr } = await sieve('profile', file);
        expect(code).toBe(2);
        expect(stdout).toBe('');
        expect(stderr).toMatch(pattern);
        expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
