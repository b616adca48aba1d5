/**
 * The model card: its usage snippets really run in an unzipped bundle (Node, the page snippet, the
 * server and curl), it reports what the brief asks (datasheet, metrics with CI, A/B verdict,
 * success criterion, importance, reproducibility), and user-supplied strings cannot inject markup.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assess } from '../../../src/core/automl/assess.ts';
import { fitFinalModel } from '../../../src/core/automl/model.ts';
import { resolveProject } from '../../../src/core/automl/project.ts';
import { profileFrame } from '../../../src/core/data/profile.ts';
import { bundleFiles } from '../../../src/core/export/bundle.ts';
import { Rng } from '../../../src/core/util/random.ts';
import { cat, frame as makeFrame, num } from '../../helpers/frames.ts';
import { bundleInput, exportAndImport, fit, type Fitted, type PredictModule } from './fixtures.ts';
import { freePort, request } from './server.ts';

const run = promisify(execFile);

/** The fenced blocks of one language in a Markdown text. */
function blocks(markdown: string, lang: string): string[] {
  return [...markdown.matchAll(new RegExp('^(`{3,})' + lang + '\\n([\\s\\S]*?)\\n\\1$', 'gm'))].map((m) => m[2]);
}

let f: Fitted;
let dir: string;
let mod: PredictModule;
let cleanup: (() => void) | undefined;
let readme: string;
let html: string;

beforeAll(async () => {
  f = await fit('titanic', [{ family: 'gbdt', params: { max_iter: 40 }, weight: 1 }], 2);
  const { target } = resolveProject(f.data.frame, { target: 'Survived', exclude: f.data.exclude, successThreshold: 0.8 });
  const project = { ...f.project, successThreshold: 0.8 };
  const testPrediction = await f.model.predictRows(f.data.frame, f.testRows);
  const assessment = await assess({
    frame: f.data.frame,
    project,
    model: f.model,
    y: target.y,
    searchRows: f.searchRows,
    testRows: f.testRows,
    testPrediction,
    explain: true,
  });
  const exported = await exportAndImport(f, {
    project,
    testMetric: assessment.metric,
    ab: assessment.ab,
    success: assessment.success,
    importance: { kind: 'permutation', metric: project.metric, items: assessment.importance!.map((i) => ({ feature: i.feature, value: i.mean, std: i.std })) },
    test: { roc_auc: assessment.metric.value, accuracy: 0.8 },
  });
  ({ dir, mod, cleanup } = exported);
  readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
  html = fs.readFileSync(path.join(dir, 'model-card.html'), 'utf8');
}, 120_000);

afterAll(() => cleanup?.());

describe('the model card snippets run', () => {
  it('the Node snippet prints the predictions of the example row', async () => {
    const [snippet] = blocks(readme, 'js');
    fs.writeFileSync(path.join(dir, 'example.mjs'), snippet);
    const { stdout } = await run(process.execPath, ['example.mjs'], { cwd: dir, timeout: 20_000 });
    const example = JSON.parse(snippet.slice(snippet.indexOf('['), snippet.indexOf('];') + 1));
    expect(JSON.parse(stdout)).toEqual((await mod.loadModel()).predict(example));
    // A synthetic row (example-rows.ts) with every input column; the first row of example.csv.
    expect(Object.keys(example[0])).toEqual((await mod.loadModel()).inputColumns);
    expect(example[0]).not.toMatchObject({ Sex: 'male', Age: 22, SibSp: 1, Parch: 0, Fare: 7.25 });
  });

  it("the page snippet's module code runs as it is", async () => {
    const [snippet] = blocks(readme, 'html');
    const code = snippet.replace(/^<script type="module">\n/, '').replace(/\n<\/script>$/, '');
    fs.writeFileSync(path.join(dir, 'page-snippet.mjs'), code);
    const { stdout } = await run(process.execPath, ['page-snippet.mjs'], { cwd: dir, timeout: 20_000 });
    expect(stdout).toMatch(/label: '[01]'/);
    expect(stdout).toMatch(/\[\]\s*$/); // no errors
  });

  it('the server and curl snippets work as written (on a free port)', async () => {
    const [start, call] = blocks(readme, 'sh');
    expect(start).toBe('node serve.mjs --port 8080');
    const port = await freePort();
    const child = spawn('bash', ['-c', `exec ${start.replace('8080', String(port))}`], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('serve.mjs did not start')), 15_000);
        child.stdout!.on('data', (c: Buffer) => c.toString().includes('listening on') && (clearTimeout(timer), resolve()));
        child.once('exit', (code) => reject(new Error(`serve.mjs exited with ${code}`)));
      });
      const command = call.replace('8080', String(port));
      let reply: unknown;
      if (hasCurl()) reply = JSON.parse(execFileSync('bash', ['-c', command], { cwd: dir, timeout: 20_000 }).toString());
      else reply = (await request(port, 'POST', '/predict', JSON.parse(command.slice(command.indexOf("-d '") + 4, -1)))).body;
      const example = JSON.parse(command.slice(command.indexOf("-d '") + 4, -1)).rows;
      expect(reply).toEqual({ predictions: (await mod.loadModel()).predict(example) });
    } finally {
      child.kill('SIGKILL');
    }
  });
});

function hasCurl(): boolean {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('the model card content', () => {
  it('has every section, in Markdown and in HTML', () => {
    const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual([
      'Intended use',
      'Limitations and out-of-scope uses',
      'Training data',
      'Pipeline and model',
      'Evaluation',
      'Feature importance',
      'How to use',
      'ONNX',
      'Reproducibility',
    ]);
    for (const h of headings) expect(html).toContain(`<h2>${h}</h2>`);
  });

  it('reports the datasheet, metrics with CI, the A/B verdict, the success criterion and importance', () => {
    expect(readme).toMatch(/\| `0` \| 549 \| 61\.6 % \|\n\| `1` \| 342 \| 38\.4 % \|/);
    expect(readme).toMatch(/\| `Age` \| numeric \| 177 \(19\.9 %\) \| 88 \| min 0\.42, median 28, max 80 \|/);
    expect(readme).toMatch(/\| \*\*ROC AUC\*\* \| 0\.\d{4} \| 0\.\d{4} to 0\.\d{4} \|/);
    expect(readme).toMatch(/### Against the existing process\n\nThe model (beats|is worse than|shows no significant difference)/);
    expect(readme).toMatch(/the best single-feature rule/);
    expect(readme).toMatch(/\| DeLong p-value \| /);
    expect(readme).toMatch(/### Success criterion\n\n\*\*(Met|Not met)\*\*: ROC AUC 0\.\d+ [≥<] 0\.80: (met|not met); 95 % CI/);
    expect(readme).toMatch(/How much the test ROC AUC worsens when one input column is shuffled/);
    expect(readme).toMatch(/\| `Sex` \| 0\.\d{4} ± 0\.\d{4} \|/);
    expect(readme).toMatch(/\| seed \| 2 \|/);
    expect(readme).toMatch(/\| dataset SHA-256 \| `4a437fde05fe5264e1701a7387ac6fb75393772ba38bb2c9c566405af5af4bd7` \|/);
    expect(readme).toMatch(/\| Sieve version \| 0\.1\.0 \|/);
  });
});

describe('user-supplied strings cannot inject markup', () => {
  it('escapes column names, levels, labels and file names in the HTML and the Markdown', async () => {
    const evilColumn = '<img src=x onerror=alert(1)>';
    const evilLevel = '</script><script>alert(2)</script>';
    const rng = new Rng(5);
    const n = 120;
    const x = Array.from({ length: n }, () => rng.normal());
    const lvl = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? evilLevel : i % 3 === 1 ? '*bold* [link](http://x)' : 'plain'));
    const y = x.map((v, i) => (v + (i % 3 === 0 ? 1 : 0) > 0.3 ? 'a&amp;b' : '<i>no</i>'));
    const frame = makeFrame(num(evilColumn, x), cat('level | pipe', lvl), cat('target', y));
    const { project } = resolveProject(frame, { target: 'target' });
    const trainRows = Int32Array.from({ length: n }, (_, i) => i);
    const model = await fitFinalModel(frame, {
      target: 'target',
      task: project.task,
      classes: project.classes,
      trainRows,
      seed: 0,
      members: [{ family: 'naive_bayes', params: {}, weight: 1, features: project.features }],
    });
    const fitted: Fitted = {
      data: { name: '<b>evil</b>', frame, profile: profileFrame(frame), bytes: new Uint8Array([1]), target: 'target', exclude: [] },
      project,
      model,
      searchRows: trainRows,
      testRows: trainRows,
    };
    const { files } = bundleFiles(await bundleInput(fitted));
    const page = new TextDecoder().decode(files['model-card.html']);
    expect(page).not.toMatch(/<(script|img|iframe|link|object)\b/i);
    expect(page).not.toMatch(/<[a-z][^>]*\s(src|href|on\w+)=/i);
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(page).toContain('a&amp;amp;b');
    const md = new TextDecoder().decode(files['README.md']);
    // Outside code (where Markdown shows text as it is), every "<", "[", "*" and "|" of user text is escaped.
    const prose = md.replace(/^(`{3,})[a-z]*\n[\s\S]*?\n\1$/gm, '').replace(/(`+)[^`]*?\1/g, '');
    expect(prose).not.toMatch(/(^|[^\\])</m);
    expect(prose).toContain('\\*bold\\* \\[link\\](http://x)');
    expect(prose).toContain('\\</script\\>\\<script\\>alert(2)\\</script\\>');
    // The page snippet keeps "</script>" out of its script element.
    const [pageSnippet] = blocks(md, 'html');
    expect(pageSnippet.match(/<\/script>/g)).toHaveLength(1);
  });
});
