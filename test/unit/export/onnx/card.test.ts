/**
 * model.onnx in a real bundle: the card's JavaScript snippet runs beside it (onnxruntime-node, resolved
 * from this repository) and prints what predict.mjs predicts for the card's example row; the Python,
 * Java and C# snippets feed exactly the graph's inputs, in order, with its element types, and read its
 * outputs; schema.json lists the inputs under x-onnx; metadata_props trace the model back to its card.
 * A model that reads a free-text column gets no model.onnx and a card that says why.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitFinalModel } from '../../../../src/core/automl/model.ts';
import { resolveProject } from '../../../../src/core/automl/project.ts';
import { buildBundle } from '../../../../src/core/export/bundle.ts';
import { onnx } from '../../../../src/core/export/onnx/proto.ts';
import { MAX_ONNX_TREE_NODES, NOT_EXPORTED, onnxUnsupportedReason } from '../../../../src/core/export/onnx/support.ts';
import { SieveModel } from '../../../../src/core/export/runtime/model.ts';
import type { BundleModelFile } from '../../../../src/core/export/runtime/types.ts';
import { useWasmBackend } from '../../models/tf-setup.ts';
import { bundleInput, fit } from '../fixtures.ts';
import { relDiff, session } from './helpers.ts';

useWasmBackend();
const run = promisify(execFile);

function blocks(markdown: string, lang: string): string[] {
  return [...markdown.matchAll(new RegExp('^(`{3,})' + lang + '\\n([\\s\\S]*?)\\n\\1$', 'gm'))].map((m) => m[2]);
}

// Inside the repository (ignored), so the snippet's `import 'onnxruntime-node'` resolves as a user's would after npm install.
// test-artifacts/ is absent from a fresh clone: made first (mkdtemp makes only the last level).
fs.mkdirSync(path.resolve('test-artifacts'), { recursive: true });
const dir = fs.mkdtempSync(path.join(path.resolve('test-artifacts'), 'onnx-card-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let files: Record<string, Uint8Array>;
let readme: string;
let modelFile: BundleModelFile;
let datasetSha: string;

beforeAll(async () => {
  // penguins: numeric columns with missing cells, a categorical with missing, three classes.
  const f = await fit('penguins', [
    { family: 'gbdt', params: { max_iter: 15 }, weight: 0.6 },
    { family: 'linear', params: {}, weight: 0.4 },
  ]);
  const input = await bundleInput(f, { test: { log_loss: 0.25 }, testMetric: { value: 0.2345, ci: [0.2, 0.3] } });
  datasetSha = input.dataset.sha256;
  files = unzipSync(await buildBundle(input));
  for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), bytes);
  readme = new TextDecoder().decode(files['README.md']);
  modelFile = JSON.parse(new TextDecoder().decode(files['model.json'])) as BundleModelFile;
}, 120_000);

describe('model.onnx in the bundle', () => {
  it('the JavaScript snippet runs and prints what predict.mjs predicts for the example row', async () => {
    const snippet = blocks(readme, 'js').find((b) => b.includes('onnxruntime-node'))!;
    expect(snippet).toBeDefined();
    fs.writeFileSync(path.join(dir, 'onnx-example.mjs'), snippet);
    const { stdout } = await run(process.execPath, ['onnx-example.mjs'], { cwd: dir, timeout: 30_000 });
    const out = JSON.parse(stdout.trim()) as { label: string; probabilities: number[] };
    const exampleCsv = new TextDecoder().decode(files['example.csv']).trim().split('\r\n');
    expect(exampleCsv.length).toBeGreaterThan(1);
    // The first example row, as predict.mjs reads it (example.csv's cells; '' is missing).
    const header = exampleCsv[0].split(',');
    const cells = exampleCsv[1].split(',');
    const row = Object.fromEntries(header.map((h, i) => [h, cells[i] === '' ? null : cells[i]]));
    const [expected] = new SieveModel(modelFile).predict([row]) as { label: string; probabilities: Record<string, number> }[];
    expect(out.label).toBe(expected.label);
    modelFile.classes.forEach((k, i) => expect(relDiff(out.probabilities[i], expected.probabilities[k])).toBeLessThan(1e-5));
  });

  it('the Python, Java and C# snippets feed the graph its inputs, in order and with its types, and read its outputs', async () => {
    const sess = await session(files['model.onnx']);
    const meta = (sess as unknown as { inputMetadata: { name: string; type: string }[] }).inputMetadata;
    const want = meta.map((m) => ({ name: m.name, type: m.type }));
    expect(want.map((m) => m.name)).toEqual(modelFile.input.columns.map((c) => c.name));
    const python = blocks(readme, 'python')[0];
    const java = blocks(readme, 'java')[0];
    const csharp = blocks(readme, 'csharp')[0];
    const pyTypes: Record<string, string> = { 'np.float32': 'float32', 'np.float64': 'float64', object: 'string' };
    const javaTypes: Record<string, string> = { float: 'float32', double: 'float64', String: 'string' };
    const csTypes: Record<string, string> = { float: 'float32', double: 'float64', string: 'string' };
    const py = [...python.matchAll(/^ {4}("(?:[^"\\]|\\.)*"): np\.array\(\[\[.*\]\], dtype=(np\.float32|np\.float64|object)\),$/gm)].map((m) => ({
      name: JSON.parse(m[1]) as string,
      type: pyTypes[m[2]],
    }));
    const jv = [...java.matchAll(/feeds\.put\(("(?:[^"\\]|\\.)*"), OnnxTensor\.createTensor\(env, new (float|double|String)\[\]\[\] \{\{.*\}\}\)\);$/gm)].map(
      (m) => ({ name: JSON.parse(m[1]) as string, type: javaTypes[m[2]] }),
    );
    const cs = [
      ...csharp.matchAll(/CreateFromTensor\(("(?:[^"\\]|\\.)*"), new DenseTensor<(float|double|string)>\(new \2\[\] \{ .* \}, new\[\] \{ 1, 1 \}\)\),$/gm),
    ].map((m) => ({ name: JSON.parse(m[1]) as string, type: csTypes[m[2]] }));
    expect(py).toEqual(want);
    expect(jv).toEqual(want);
    expect(cs).toEqual(want);
    for (const snippet of [python, java, csharp]) for (const name of sess.outputNames) expect(snippet).toContain(`"${name}"`);
    expect(sess.outputNames).toEqual(['label', 'probabilities']);
    await sess.release();
  });

  it('schema.json lists the inputs and outputs under x-onnx, and the metadata leads back to the card', () => {
    const schema = JSON.parse(new TextDecoder().decode(files['schema.json'])) as {
      properties: Record<string, unknown>;
      'x-onnx': { inputs: { name: string; type: string }[]; outputs: { name: string }[] };
    };
    expect(schema['x-onnx'].inputs.map((i) => i.name)).toEqual(Object.keys(schema.properties));
    for (const i of schema['x-onnx'].inputs) {
      const c = modelFile.input.columns.find((x) => x.name === i.name)!;
      expect(i.type).toBe(c.type === 'numeric' ? 'float' : c.type === 'datetime' ? 'double' : 'string');
    }
    expect(schema['x-onnx'].outputs.map((o) => o.name)).toEqual(['label', 'probabilities']);
    const decoded = onnx.ModelProto.decode(files['model.onnx']);
    const props = Object.fromEntries(decoded.metadataProps.map((p) => [p.key, p.value]));
    expect(props).toMatchObject({
      producer: 'Sieve',
      version: '0.1.0',
      target: 'species',
      metric: modelFile.metric,
      test_score: '0.2345',
      training_sha256: datasetSha,
      model_sha256: modelFile.integrity.model,
    });
    expect(decoded.producerName).toBe('Sieve');
    expect(readme).toContain(datasetSha);
    expect(modelFile.integrity.files['model.onnx']).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('a model that does not export', () => {
  it('titanic with its free-text Name column: no model.onnx, no x-onnx, and the card says why', async () => {
    const f = await fit('titanic', [{ family: 'linear', params: {}, weight: 1 }]);
    const { project } = resolveProject(f.data.frame, { target: 'Survived', exclude: ['PassengerId', 'Ticket'], seed: 0 });
    expect(project.features).toContain('Name');
    const model = await fitFinalModel(f.data.frame, {
      target: 'Survived',
      task: project.task,
      classes: project.classes,
      trainRows: f.searchRows,
      seed: 0,
      members: [{ family: 'linear', params: {}, weight: 1, features: project.features }],
    });
    expect(model.toJSON().members[0].model.pipeline.inputColumns).toContain('Name');
    const unzipped = unzipSync(await buildBundle(await bundleInput({ ...f, project, model })));
    expect(unzipped['model.onnx']).toBeUndefined();
    expect(JSON.parse(new TextDecoder().decode(unzipped['schema.json']))['x-onnx']).toBeUndefined();
    const card = new TextDecoder().decode(unzipped['README.md']);
    expect(card).toContain('This bundle has no `model.onnx`');
    expect(card).toContain(NOT_EXPORTED.text.slice(0, 40));
  });
});

describe('a tree model too large for the ONNX writer', () => {
  it('is left out with its node count in the reason', async () => {
    const f = await fit('iris', [{ family: 'random_forest', params: { n_estimators: 3 }, weight: 1 }]);
    const json = f.model.toJSON();
    const state = json.members[0].model.estimator.state as { trees: { feature: number[] }[] };
    const nodes = state.trees.reduce((a, t) => a + t.feature.length, 0);
    expect(onnxUnsupportedReason(json)).toBeNull();
    // The same trees, repeated past the limit (a forest of that many trees is what the limit is for).
    const copies = Math.ceil((MAX_ONNX_TREE_NODES + 1) / nodes);
    const big = {
      ...json,
      members: [
        {
          ...json.members[0],
          model: {
            ...json.members[0].model,
            estimator: { ...json.members[0].model.estimator, state: { ...state, trees: Array.from({ length: copies }, () => state.trees).flat() } },
          },
        },
      ],
    };
    expect(onnxUnsupportedReason(big)).toContain(`its trees have ${(copies * nodes).toLocaleString('en-US')} nodes`);
  });
});
