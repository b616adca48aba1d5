/**
 * predict.d.ts describes predict.mjs: a TypeScript program using the bundle's API type-checks against
 * it, a wrong use does not, and every runtime export is declared.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { PREDICT_D_TS } from '../../../src/core/export/predict-dts.ts';
import * as runtime from '../../../src/core/export/runtime/index.ts';
import { tempDir } from './fixtures.ts';

const { dir, cleanup } = tempDir('sieve-dts-');
afterAll(cleanup);

function diagnostics(program: string): string[] {
  // TypeScript looks for an .mjs module's declarations in <name>.d.mts: the model card tells users to
  // copy predict.d.ts to predict.d.mts, as done here.
  fs.writeFileSync(path.join(dir, 'predict.d.mts'), PREDICT_D_TS);
  fs.writeFileSync(path.join(dir, 'predict.mjs'), '');
  fs.writeFileSync(path.join(dir, 'use.ts'), program);
  const host = ts.createProgram([path.join(dir, 'use.ts')], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
  });
  return ts.getPreEmitDiagnostics(host).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('predict.d.ts', () => {
  it('types a program that uses the API', () => {
    const program = `
      import { loadModel, InputError, type Prediction, type RowError } from './predict.mjs';
      const model = await loadModel();
      const rows = [{ Age: 29, Sex: 'male' }];
      const out: Prediction[] = model.predict(rows);
      const first = out[0];
      const label: string | number = 'label' in first ? first.label : first.value;
      const errors: RowError[] = model.validate(rows);
      const { predictions } = model.score(rows);
      const n: number = predictions.length + errors.length + model.inputColumns.length + label.toString().length;
      try { model.predict([{}]); } catch (e: unknown) { if (e instanceof InputError) console.log(e.errors[0].row, n); }
      await loadModel(new URL('./model.json', import.meta.url), { verify: false });
      export {};
    `;
    expect(diagnostics(program)).toEqual([]);
  });

  it('rejects a wrong use', () => {
    expect(
      diagnostics(`import { loadModel } from './predict.mjs'; const m = await loadModel(); const x: number = m.predict([])[0].label; export {};`).length,
    ).toBeGreaterThan(0);
  });

  it('declares every value the runtime exports', () => {
    for (const name of Object.keys(runtime)) {
      if (['checkModelFile', 'toJsonSchema', 'inputSchemaFromModel', 'rowsToFrame', 'BUNDLE_MODEL_FORMAT', 'BUNDLE_MODEL_VERSION'].includes(name)) continue;
      expect(PREDICT_D_TS).toMatch(new RegExp(`export declare (function|class) ${name}\\b`));
    }
  });
});
