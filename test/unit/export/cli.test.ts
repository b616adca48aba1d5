/**
 * The command line: `sieve run --out DIR` writes DIR/bundle.zip (a valid bundle of the winner),
 * `sieve predict` scores a CSV with it (listing bad rows, neutralising formulas), and
 * `sieve run --champion bundle.zip` compares a new winner with that bundle. The bundle's example rows
 * are synthetic unless `--real-examples` asks for the file's first rows.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellText } from '../../../src/core/data/frame.ts';
import { readBundle } from '../../../src/core/export/read-bundle.ts';
import { frameRows } from '../../../src/core/export/rows.ts';
import { readCsvFile } from '../../../src/node/read-csv.ts';
import { datasetPath } from '../../helpers/datasets.ts';
import { tempDir, unzipTo, type PredictModule } from './fixtures.ts';

const exec = promisify(execFile);
const repo = path.resolve(__dirname, '../../..');
const tsx = path.join(repo, 'node_modules/.bin/tsx');
const sieve = (...args: string[]) => exec(tsx, ['src/cli/main.ts', ...args], { cwd: repo, timeout: 120_000 });
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop()!);
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (err: { code: number; stderr: string }) => err,
  );

const { dir, cleanup } = tempDir('sieve-cli-');
afterAll(cleanup);
const out = path.join(dir, 'run');
let summary: { bundle: string; winner: { name: string }; test: Record<string, number> };

beforeAll(async () => {
  const { stdout } = await sieve(
    'run',
    datasetPath('titanic'),
    '--target',
    'Survived',
    '--exclude',
    'PassengerId,Name,Ticket',
    '--families',
    'gbdt,linear',
    '--max-trials',
    '3',
    '--workers',
    '1',
    '--seed',
    '4',
    '--out',
    out,
    '--json',
  );
  summary = lastJson(stdout);
}, 180_000);

describe('sieve run --out', () => {
  it('writes leaderboard.json and a valid bundle.zip of the winner', async () => {
    expect(summary.bundle).toBe(path.join(out, 'bundle.zip'));
    expect(fs.existsSync(path.join(out, 'leaderboard.json'))).toBe(true);
    const bundle = readBundle(new Uint8Array(fs.readFileSync(summary.bundle)));
    expect(bundle.manifest).toMatchObject({ target: 'Survived', task: 'binary', metric: 'roc_auc', classes: ['0', '1'] });
    expect(bundle.card.markdown).toContain(`trials is`);
    expect(bundle.card.markdown).toMatch(/### Against the existing process\n\nThe model/);
    expect(bundle.card.markdown).toMatch(/\| dataset SHA-256 \| `4a437fde05fe5264e1701a7387ac6fb75393772ba38bb2c9c566405af5af4bd7` \|/);
    expect(bundle.card.markdown).toMatch(/\| compute backend \| Node\.js v\d+/);
    // The bundle's test score is the run's: its model predicts the same rows the same way.
    expect(bundle.card.markdown).toContain(`**${summary.test.roc_auc.toFixed(4)}**`);
  });
});

describe('sieve predict', () => {
  it("scores a CSV exactly as the bundle's predict.mjs does", async () => {
    const target = path.join(dir, 'titanic.predictions.csv');
    const { stdout } = await sieve('predict', summary.bundle, datasetPath('titanic'), '--out', target, '--json');
    expect(lastJson(stdout)).toEqual({ rows: 891, scored: 891, failed: [], failedCount: 0, out: target, target: 'Survived', task: 'binary' });
    const { frame: scored } = await readCsvFile(target);
    expect(scored.columns.map((c) => c.name).slice(-4)).toEqual(['prediction', 'proba_0', 'proba_1', 'Survived_set']);
    const unzipped = path.join(dir, 'bundle');
    fs.mkdirSync(unzipped);
    unzipTo(new Uint8Array(fs.readFileSync(summary.bundle)), unzipped);
    const mod = (await import(pathToFileURL(path.join(unzipped, 'predict.mjs')).href)) as PredictModule;
    const model = await mod.loadModel();
    const { frame } = await readCsvFile(datasetPath('titanic'));
    const expected = model.predict(frameRows(frame, model.inputColumns));
    const p1 = scored.columns.find((c) => c.name === 'proba_1')!;
    expected.forEach((p, i) => expect(p1.storage === 'numeric' && p1.values[i]).toBe(p.probabilities!['1']));
    // The conformal set, labels joined by "|", exactly as predict.mjs gives it.
    const sets = scored.columns.find((c) => c.name === 'Survived_set')!;
    expected.forEach((p, i) => expect(cellText(sets, i)).toBe((p as { set: string[] }).set.join('|')));
  });

  it('lists rows that cannot be scored and neutralises formula cells', async () => {
    const csv = path.join(dir, 'new.csv');
    fs.writeFileSync(
      csv,
      'Pclass,Sex,Age,SibSp,Parch,Fare,Cabin,Embarked,Note\n' +
        '3,male,22,1,0,7.25,,S,"=HYPERLINK(""http://evil"",""x"")"\n' +
        '1,female,abc,1,0,71.28,C85,C,ok\n' +
        '3,female,,0,0,7.9,,S,@SUM(A1)\n',
    );
    const target = path.join(dir, 'new.predictions.csv');
    const { stdout } = await sieve('predict', summary.bundle, csv, '--out', target);
    expect(stdout).toContain('scored 2 of 3 rows');
    expect(lastJson(stdout)).toMatchObject({
      rows: 3,
      scored: 2,
      failed: [{ row: 2, message: 'row 2, column "Age": expected a number, got "abc"' }],
      failedCount: 1,
    });
    const lines = fs.readFileSync(target, 'utf8').split('\r\n');
    expect(lines[0]).toBe('Pclass,Sex,Age,SibSp,Parch,Fare,Cabin,Embarked,Note,prediction,proba_0,proba_1,Survived_set');
    expect(lines[1]).toMatch(/^3,male,22,1,0,7\.25,,S,"'=HYPERLINK\(""http:\/\/evil"",""x""\)",[01],0\.\d+,0\.\d+,[01|]*$/);
    expect(lines[2]).toBe('1,female,abc,1,0,71.28,C85,C,ok,,,,');
    expect(lines[3]).toMatch(/^3,female,,0,0,7\.9,,S,'@SUM\(A1\),[01],/);
  });

  it('refuses a file that is not a bundle, a tampered bundle and a CSV without the model columns', async () => {
    const notZip = await failure(sieve('predict', datasetPath('iris'), datasetPath('iris')));
    expect(notZip?.code).toBe(2);
    expect(notZip?.stderr).toMatch(/^sieve: .*iris\.csv: This file is not a Sieve model bundle/);
    const bytes = fs.readFileSync(summary.bundle);
    // Flip one byte inside a stored file's data: the zip stays readable or fails its CRC, either way refused.
    const tampered = path.join(dir, 'tampered.zip');
    const copy = Buffer.from(bytes);
    copy[Math.floor(copy.length / 2)] ^= 0xff;
    fs.writeFileSync(tampered, copy);
    const bad = await failure(sieve('predict', tampered, datasetPath('titanic')));
    expect(bad?.code).toBe(2);
    expect(bad?.stderr).toMatch(/^sieve: .*tampered\.zip: /);
    const missing = await failure(sieve('predict', summary.bundle, datasetPath('iris')));
    expect(missing?.code).toBe(2);
    expect(missing?.stderr).toMatch(/iris\.csv lacks columns "Pclass", "Sex", .*which the model needs/);
  });
});

describe('sieve run --champion', () => {
  it('compares the new winner with the bundle on the test split', async () => {
    const { stdout } = await sieve(
      'run',
      datasetPath('titanic'),
      '--target',
      'Survived',
      '--exclude',
      'PassengerId,Name,Ticket',
      '--families',
      'naive_bayes',
      '--max-trials',
      '1',
      '--workers',
      '1',
      '--seed',
      '4',
      '--champion',
      summary.bundle,
      '--json',
    );
    const result = lastJson(stdout);
    expect(result.ab.baseline).toMatch(/^the champion model \(bundle\.zip, exported \d{4}-\d{2}-\d{2}\)$/);
    // Same seed, same test split: the champion's score is the first run's test score.
    expect(result.ab.baselineValue).toBeCloseTo(summary.test.roc_auc, 12);
    expect(['better', 'worse', 'no-significant-difference']).toContain(result.ab.verdict);
  });

  it('refuses a champion that predicts another target before searching', async () => {
    const err = await failure(sieve('run', datasetPath('titanic'), '--target', 'Pclass', '--max-trials', '1', '--champion', summary.bundle));
    expect(err?.code).toBe(2);
    expect(err?.stderr).toMatch(/--champion .*bundle\.zip: The champion model predicts "Survived", but this project predicts "Pclass"\./);
  });
});

describe('sieve run --out: the example rows', () => {
  const exampleLines = (zip: string) =>
    new TextDecoder()
      .decode(readBundle(new Uint8Array(fs.readFileSync(zip))).files['example.csv'])
      .trim()
      .split('\r\n');

  it('are synthetic by default: no line of example.csv is a row of the training file', async () => {
    const [header, ...lines] = exampleLines(summary.bundle);
    expect(lines).toHaveLength(5);
    const { frame } = await readCsvFile(datasetPath('titanic'));
    const names = header.split(',');
    const cols = names.map((n) => frame.columns.find((c) => c.name === n)!);
    const training = new Set(Array.from({ length: frame.rows }, (_, r) => cols.map((c) => cellText(c, r)).join(',')));
    for (const line of lines) expect(training.has(line)).toBe(false);
    expect(readBundle(new Uint8Array(fs.readFileSync(summary.bundle))).card.markdown).toContain('of **synthetic** example data');
  });

  it('are the first rows of the file with --real-examples, and the card says so', async () => {
    const realOut = path.join(dir, 'real');
    const { stdout } = await sieve(
      'run',
      datasetPath('iris'),
      '--target',
      'species',
      '--families',
      'naive_bayes',
      '--max-trials',
      '1',
      '--workers',
      '1',
      '--out',
      realOut,
      '--real-examples',
      '--json',
    );
    const zip = lastJson(stdout).bundle as string;
    const [header, ...lines] = exampleLines(zip);
    const iris = fs.readFileSync(datasetPath('iris'), 'utf8').trim().split(/\r?\n/);
    const fileHeader = iris[0].split(',');
    const pick = header.split(',').map((n) => fileHeader.indexOf(n));
    expect(lines).toEqual(iris.slice(1, 6).map((l) => pick.map((j) => String(Number(l.split(',')[j]))).join(',')));
    expect(readBundle(new Uint8Array(fs.readFileSync(zip))).card.markdown).toContain('as they are: the exporter chose to include real rows');
  });
});
