/**
 * Reading a bundle back: a good one gives its manifest, model, card and schema; a file that is too
 * large, not a zip, incomplete, not JSON, of an unknown version, or altered in any file is refused
 * with a clear reason.
 */
import { unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_FILES, buildBundle } from '../../../src/core/export/bundle.ts';
import { BundleError, readBundle } from '../../../src/core/export/read-bundle.ts';
import { bundleInput, fit } from './fixtures.ts';

let zip: Uint8Array;
beforeAll(async () => {
  const f = await fit('iris', [{ family: 'naive_bayes', params: {}, weight: 1 }]);
  zip = await buildBundle(await bundleInput(f));
});

const files = () => unzipSync(zip);
const rezip = (entries: Record<string, Uint8Array>) => zipSync(entries);
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

function refusal(bytes: Uint8Array, opts?: { maxBytes?: number }): BundleError {
  try {
    readBundle(bytes, opts);
  } catch (err) {
    if (err instanceof BundleError) return err;
    throw err;
  }
  throw new Error('the bundle was accepted');
}

describe('readBundle', () => {
  it('reads a good bundle: exactly the eight files and model.onnx, the manifest, model, card and schema', () => {
    expect(Object.keys(files()).sort()).toEqual([...BUNDLE_FILES, 'model.onnx'].sort());
    expect(readBundle(zip).files['model.onnx']).toEqual(files()['model.onnx']);
    const b = readBundle(zip);
    expect(b.manifest).toMatchObject({
      format: 'sieve-bundle-model',
      version: 1,
      task: 'multiclass',
      target: 'species',
      metric: 'log_loss',
      app: { name: 'Sieve', version: '0.1.0' },
    });
    expect(b.manifest.classes).toHaveLength(3);
    expect(b.model.format).toBe('sieve-model');
    expect(b.card.markdown).toMatch(/^# Model card: predicting species/);
    expect(b.card.html).toMatch(/^<!doctype html>/);
    expect(b.schema).toMatchObject({ type: 'object', required: b.manifest.input.columns.map((c) => c.name) });
    expect(b.predictMjs).toMatch(/export \{/);
  });

  it('refuses an oversized file before unpacking it', () => {
    const err = refusal(zip, { maxBytes: 1000 });
    expect(err.kind).toBe('too-large');
    expect(err.message).toMatch(/^This bundle is \d+\.\d MB; bundles over 0\.0 MB are refused\.$/);
  });

  it('refuses something that is not a zip', () => {
    const err = refusal(enc('name,age\nann,3\n'));
    expect(err.kind).toBe('not-zip');
    expect(err.message).toMatch(/not a Sieve model bundle: it is not a readable \.zip archive/);
  });

  it('refuses a zip that lacks bundle files', () => {
    const { ['serve.mjs']: _s, ['model.json']: _m, ...rest } = files();
    const err = refusal(rezip(rest));
    expect(err.kind).toBe('missing-file');
    expect(err.message).toMatch(/it lacks model\.json, serve\.mjs\./);
  });

  it('refuses model.json that is not JSON, or of an unknown format or newer version', () => {
    expect(refusal(rezip({ ...files(), 'model.json': enc('{"format": "sieve-bundle-model",') })).kind).toBe('bad-json');
    const json = JSON.parse(dec(files()['model.json']));
    const newer = refusal(rezip({ ...files(), 'model.json': enc(JSON.stringify({ ...json, version: 7 })) }));
    expect(newer.kind).toBe('format');
    expect(newer.message).toMatch(/version 7.*newer Sieve/);
    expect(refusal(rezip({ ...files(), 'model.json': enc(JSON.stringify({ hello: 1 })) })).kind).toBe('format');
  });

  it('detects a changed model even when model.json is still valid', () => {
    const json = JSON.parse(dec(files()['model.json']));
    json.model.members[0].model.estimator.state.classLogPrior[0] += 0.5;
    const err = refusal(rezip({ ...files(), 'model.json': enc(JSON.stringify(json)) }));
    expect(err.kind).toBe('tampered');
    expect(err.message).toMatch(/model in model\.json does not match its recorded SHA-256/);
  });

  it('refuses a bundle whose model.json records a model.onnx the zip lacks', () => {
    const { ['model.onnx']: _o, ...rest } = files();
    const err = refusal(rezip(rest));
    expect(err.kind).toBe('missing-file');
    expect(err.message).toMatch(/it lacks model\.onnx, which model\.json records/);
  });

  it('detects a changed predict.mjs, serve.mjs, model card or model.onnx', () => {
    for (const name of ['predict.mjs', 'serve.mjs', 'README.md', 'model.onnx'] as const) {
      const changed = enc(`${dec(files()[name])}\n// one more line`);
      const err = refusal(rezip({ ...files(), [name]: changed }));
      expect(err.kind).toBe('tampered');
      expect(err.message).toContain(`${name} does not match the SHA-256 recorded in model.json`);
    }
  });
});
