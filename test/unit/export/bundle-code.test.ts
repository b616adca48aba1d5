/**
 * A bundle is read for its model data, never run (issue 12, item 6). A bundle whose predict.mjs was
 * replaced by code with side effects — and whose recorded SHA-256 was rewritten to match, as anyone
 * editing a bundle on purpose can do — still passes the integrity check (the hashes prove no
 * authorship), and the page's and the CLI's readers take its model from model.json without running a
 * line of that code. Without the rewritten hash, the same edit is refused as damage.
 */
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundleBlob } from '../../../src/app/bundle-export.ts';
import { championFromModel } from '../../../src/core/export/champion.ts';
import { buildBundle, modelJsonText } from '../../../src/core/export/bundle.ts';
import { BundleError, readBundle } from '../../../src/core/export/read-bundle.ts';
import { frameRows } from '../../../src/core/export/rows.ts';
import type { BundleModelFile } from '../../../src/core/export/runtime/types.ts';
import { sha256Hex } from '../../../src/core/export/sha256.ts';
import { readBundleFile } from '../../../src/node/bundle-io.ts';
import { bundleInput, fit, tempDir, type Fitted } from './fixtures.ts';

const { dir, cleanup } = tempDir('sieve-bundle-code-');
afterAll(cleanup);
const marker = path.join(dir, 'predict-mjs-ran.txt');
const flag = '__sieveBundleCodeRan';

/** Code with side effects the moment it is imported or evaluated: a global, a file, a console line. */
const hostile = [
  `globalThis[${JSON.stringify(flag)}] = true;`,
  `import(${JSON.stringify('node:fs')}).then((fs) => fs.writeFileSync(${JSON.stringify(marker)}, 'ran')).catch(() => {});`,
  'export async function loadModel() { globalThis.__sieveBundleLoadModel = true; throw new Error("hostile"); }',
  'export function loadModelSync() { globalThis.__sieveBundleLoadModel = true; throw new Error("hostile"); }',
  '',
].join('\n');

let f: Fitted;
let good: Uint8Array;
let evil: Uint8Array;
let damaged: Uint8Array;

beforeAll(async () => {
  f = await fit('iris', [{ family: 'naive_bayes', params: {}, weight: 1 }]);
  good = await buildBundle(await bundleInput(f));
  const files = unzipSync(good);
  const modelFile = JSON.parse(new TextDecoder().decode(files['model.json'])) as BundleModelFile;
  const code = new TextEncoder().encode(hostile);
  // The deliberate edit: new predict.mjs, and its SHA-256 written into model.json to match.
  modelFile.integrity.files['predict.mjs'] = sha256Hex(code);
  evil = zipSync({ ...files, 'predict.mjs': code, 'model.json': new TextEncoder().encode(modelJsonText(modelFile)) });
  damaged = zipSync({ ...files, 'predict.mjs': code });
}, 60_000);

const ran = () =>
  (globalThis as Record<string, unknown>)[flag] === true || (globalThis as Record<string, unknown>).__sieveBundleLoadModel === true || fs.existsSync(marker);
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe('a bundle whose predict.mjs was replaced', () => {
  it('passes the SHA-256 check once its hash is rewritten: the check is integrity, not authenticity', () => {
    const read = readBundle(evil);
    expect(read.predictMjs).toBe(hostile);
    expect(read.manifest.integrity.files['predict.mjs']).toBe(sha256Hex(new TextEncoder().encode(hostile)));
  });

  it('is refused as damaged when its hash was not rewritten', () => {
    expect(() => readBundle(damaged)).toThrow(BundleError);
    expect(() => readBundle(damaged)).toThrow(/predict\.mjs does not match the SHA-256 recorded in model\.json/);
  });

  it("is read by the page for its model data only: predictions as the good bundle's, and the code never runs", async () => {
    const page = await readBundleBlob(new Blob([evil as Uint8Array<ArrayBuffer>]));
    const reference = await readBundleBlob(new Blob([good as Uint8Array<ArrayBuffer>]));
    const rows = frameRows(f.data.frame, page.model.inputColumns, f.testRows);
    expect(page.model.predict(rows)).toEqual(reference.model.predict(rows));
    // As the champion of a new run (the page's "use as the existing process" and the CLI's --champion).
    const champion = championFromModel(page.model, f.project);
    const proba = (await champion.predict(f.data.frame, f.testRows)).proba!;
    expect(proba.length).toBe(f.testRows.length * f.project.classes.length);
    await settle();
    expect(ran()).toBe(false);
  });

  it('is read by the CLI (predict, --champion) for its model data only', async () => {
    const file = path.join(dir, 'evil-bundle.zip');
    fs.writeFileSync(file, evil);
    const { bundle, model } = await readBundleFile(file);
    expect(bundle.predictMjs).toBe(hostile);
    const rows = frameRows(f.data.frame, model.inputColumns, f.testRows);
    expect(model.predict(rows)).toEqual((await readBundleBlob(new Blob([good as Uint8Array<ArrayBuffer>]))).model.predict(rows));
    await settle();
    expect(ran()).toBe(false);
  });

  it('the side effects are real: importing that predict.mjs does run them', async () => {
    // Guards the test itself: were the hostile code inert, "never ran" above would prove nothing.
    const file = path.join(dir, 'hostile-predict.mjs');
    fs.writeFileSync(file, hostile);
    await import(/* @vite-ignore */ `${new URL(`file://${file}`).href}?probe`);
    await settle();
    expect((globalThis as Record<string, unknown>)[flag]).toBe(true);
    expect(fs.readFileSync(marker, 'utf8')).toBe('ran');
    delete (globalThis as Record<string, unknown>)[flag];
    fs.rmSync(marker);
  });
});
