/**
 * The Ship step in the production build, through the real page: the titanic sample, a short search,
 * then Ship — download the bundle (unzipped here: every file, the model card with the A/B result, the
 * success verdict and the dataset's SHA-256), score a new CSV (preview, a failed row listed, formula
 * cells neutralised in the downloaded predictions); load bundles back on the Data step (tampered and
 * foreign files refused with an alert, the good one shows its card and scores), use it as the existing
 * process of a second search (the A/B result names the champion), and refuse it on the Goal step for
 * data that lacks one of its columns.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { strFromU8, unzipSync } from 'fflate';
import Papa from 'papaparse';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onnxUnsupportedReason } from '../../src/core/export/onnx/support.ts';
import type { BundleModelFile } from '../../src/core/export/runtime/types.ts';
import { horizontalOverflow, launchBrowser, openPage, screenshot } from './browser.ts';
import { dropCsv, setGoal, waitForDataset, waitForRunDone } from './flow.ts';

const SAMPLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../public/samples/titanic.csv');
const BUNDLE_NAME = 'titanic-sieve-bundle.zip';

async function downloaded(page: Page, testId: string): Promise<{ download: Download; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId(testId).click()]);
  return { download, bytes: fs.readFileSync((await download.path())!) };
}

/** The sample's first rows without the target: one Name is a spreadsheet formula, one `badColumn` cell is not a number. */
function newPassengers(badColumn: string): { csv: string; fields: string[] } {
  const parsed = Papa.parse<Record<string, string>>(fs.readFileSync(SAMPLE, 'utf8'), { header: true, skipEmptyLines: true });
  const fields = (parsed.meta.fields ?? []).filter((f) => f !== 'Survived');
  const rows = parsed.data.slice(0, 12).map((r) => Object.fromEntries(fields.map((f) => [f, r[f]])));
  rows[0].Name = '=HYPERLINK("http://example.com")';
  rows[1][badColumn] = 'abc';
  return { csv: Papa.unparse(rows, { columns: fields }) + '\n', fields };
}

/** The sample with `column` left out. */
function sampleWithout(column: string): string {
  const parsed = Papa.parse<Record<string, string>>(fs.readFileSync(SAMPLE, 'utf8'), { header: true, skipEmptyLines: true });
  return Papa.unparse(parsed.data, { columns: (parsed.meta.fields ?? []).filter((f) => f !== column) }) + '\n';
}

describe('ship flow', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('downloads the bundle, scores a CSV, reloads the bundle and uses it as the champion of the next run', async () => {
    const { context, page, errors } = await openPage(browser);
    try {
      await page.getByTestId('sample-titanic').click();
      await waitForDataset(page, 'titanic.csv');
      expect(await page.getByTestId('step-ship').isDisabled()).toBe(true);
      await setGoal(page, { target: 'Survived', budget: 7 });
      await page.getByTestId('success-threshold').fill('0.7');
      await page.getByTestId('start-run').click();
      await waitForRunDone(page);
      await page.getByTestId('see-results').click();
      await page.getByTestId('ab-result').waitFor();
      const firstTestScore = Number(await page.locator('[data-testid="ab-result"] [data-row="model"] td').first().textContent());
      expect(await page.getByTestId('step-ship').isEnabled()).toBe(true);
      await page.getByTestId('to-ship').click();
      await page.locator('#ship-heading').waitFor();

      // The bundle: every file, a card with the comparison, the success verdict and the data's hash.
      await page.locator('[data-testid="download-bundle"]:not([disabled])').waitFor({ timeout: 60_000 });
      const bundle = await downloaded(page, 'download-bundle');
      expect(bundle.download.suggestedFilename()).toBe(BUNDLE_NAME);
      const files = unzipSync(new Uint8Array(bundle.bytes));
      const withOnnx = files['model.onnx'] ? ['model.onnx'] : [];
      expect(Object.keys(files).sort()).toEqual([
        'README.md',
        'example.csv',
        'model-card.html',
        'model.json',
        ...withOnnx,
        'predict.d.ts',
        'predict.mjs',
        'schema.json',
        'serve.mjs',
      ]);
      const readme = strFromU8(files['README.md']);
      expect(readme).toContain('Against the existing process');
      expect(readme).not.toContain('No comparison with an existing process was recorded');
      expect(readme).toMatch(/Success criterion[\s\S]*(Met|Not met)\*\*: ROC AUC 0\.\d+ (≥|<) 0\.7/);
      expect(readme).toContain(crypto.createHash('sha256').update(fs.readFileSync(SAMPLE)).digest('hex'));
      expect(readme).not.toMatch(/compute backend \| not recorded/);
      const modelFile = JSON.parse(strFromU8(files['model.json'])) as BundleModelFile;
      expect(modelFile).toMatchObject({ format: 'sieve-bundle-model', target: 'Survived', task: 'binary', classes: ['0', '1'] });
      // Example rows are synthetic unless the box is ticked; a kNN winner is flagged before the download.
      expect(await page.getByTestId('include-real-examples').isChecked()).toBe(false);
      expect(readme).toContain('**synthetic** example data');
      const knn = modelFile.model.members.some((m) => m.model.family === 'knn');
      expect(await page.getByTestId('knn-rows-warning').count()).toBe(knn ? 1 : 0);
      // model.onnx: in the bundle and on its own button (the same bytes) exactly when the winner exports; else the reason.
      const onnxReason = onnxUnsupportedReason(modelFile.model);
      expect(withOnnx.length).toBe(onnxReason === null ? 1 : 0);
      if (onnxReason === null) {
        const onnxFile = await downloaded(page, 'download-onnx');
        expect(onnxFile.download.suggestedFilename()).toBe('titanic-sieve-model.onnx');
        expect(new Uint8Array(onnxFile.bytes)).toEqual(files['model.onnx']);
        expect(await page.getByTestId('onnx-unavailable').count()).toBe(0);
      } else {
        expect(await page.getByTestId('download-onnx').count()).toBe(0);
        expect(await page.getByTestId('onnx-unavailable').textContent()).toContain(onnxReason);
      }
      const numeric = modelFile.input.columns.filter((c) => c.type === 'numeric').map((c) => c.name);
      const badColumn = ['Age', 'Fare', ...numeric].find((c) => numeric.includes(c));
      expect(badColumn, `a numeric input column among ${modelFile.input.columns.map((c) => c.name).join(', ')}`).toBeDefined();

      // Batch scoring: a preview, the failed row listed, the download with prediction and probabilities.
      const passengers = newPassengers(badColumn!);
      await page.getByTestId('predict-input').setInputFiles({ name: 'new-passengers.csv', mimeType: 'text/csv', buffer: Buffer.from(passengers.csv) });
      await expect
        .poll(() => page.getByTestId('predict-summary').textContent(), { timeout: 30_000 })
        .toBe('Scored 11 of 12 rows of new-passengers.csv; 1 could not be scored (listed below).');
      expect(await page.getByTestId('failed-rows').textContent()).toBe(`row 2, column "${badColumn}": expected a number, got "abc"`);
      expect(await page.getByTestId('predict-preview').locator('tbody tr').count()).toBe(12);
      const predictions = await downloaded(page, 'download-predictions');
      expect(predictions.download.suggestedFilename()).toBe('new-passengers.predictions.csv');
      const scored = Papa.parse<string[]>(predictions.bytes.toString('utf8'), { skipEmptyLines: true }).data;
      // The conformal set of each row, its labels joined by "|" (issue #15).
      expect(scored[0]).toEqual([...passengers.fields, 'prediction', 'proba_0', 'proba_1', 'Survived_set']);
      const at = (name: string) => scored[0].indexOf(name);
      expect(scored[1][at('Name')]).toBe(`'=HYPERLINK("http://example.com")`);
      expect(scored[1][at('prediction')]).toMatch(/^[01]$/);
      expect(Number(scored[1][at('proba_0')]) + Number(scored[1][at('proba_1')])).toBeCloseTo(1, 2);
      expect(scored[1][at('Survived_set')]).toMatch(/^(|[01]|[01]\|[01])$/);
      expect(scored[2].slice(at('prediction'))).toEqual(['', '', '', '']);
      expect(scored).toHaveLength(13);

      await screenshot(page, 'ship-01-1280');
      await page.setViewportSize({ width: 400, height: 800 });
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);
      await screenshot(page, 'ship-01-400');
      await page.setViewportSize({ width: 1280, height: 800 });

      // Back on the Data step: a tampered and a foreign file are refused, the real bundle is loaded.
      await page.getByTestId('step-data').click();
      await page.getByTestId('bundle-loader').locator('summary').click();
      const tampered = Buffer.from(bundle.bytes);
      tampered[Math.floor(tampered.length * 0.6)] ^= 0x55;
      await page.getByTestId('bundle-input').setInputFiles({ name: 'tampered.zip', mimeType: 'application/zip', buffer: tampered });
      const alert = page.getByTestId('bundle-error');
      await expect.poll(() => alert.textContent(), { timeout: 30_000 }).toMatch(/^tampered\.zip cannot be used: .*(SHA-256|damaged|invalid|corrupt)/i);
      expect(await alert.getAttribute('role')).toBe('alert');
      await page
        .getByTestId('bundle-input')
        .setInputFiles({ name: 'not-a-bundle.zip', mimeType: 'application/zip', buffer: Buffer.from('Pclass,Sex\n1,male\n') });
      await expect
        .poll(() => alert.textContent())
        .toMatch(/^not-a-bundle\.zip cannot be used: This file is not a Sieve model bundle: it is not a readable \.zip archive/);
      await page.getByTestId('bundle-input').setInputFiles({ name: BUNDLE_NAME, mimeType: 'application/zip', buffer: bundle.bytes });
      await expect
        .poll(() => page.getByTestId('bundle-facts').textContent(), { timeout: 30_000 })
        .toMatch(new RegExp(`^${BUNDLE_NAME.replace(/\./g, '\\.')}: predicts Survived \\(binary: 0, 1\\) from ${modelFile.input.columns.length} columns`));
      expect(await alert.count()).toBe(0);
      expect(await page.frameLocator('[data-testid="bundle-card"]').locator('h1').textContent()).toBe('Model card: predicting Survived');
      await page.getByTestId('bundle-predict-input').setInputFiles({ name: 'new-passengers.csv', mimeType: 'text/csv', buffer: Buffer.from(passengers.csv) });
      await expect.poll(() => page.getByTestId('bundle-predict-summary').textContent(), { timeout: 30_000 }).toMatch(/^Scored 11 of 12 rows/);
      await screenshot(page, 'ship-02-data-step-bundle-1280');

      // The bundle as the existing process: the Goal step offers (and selects) it; the next run is compared with it.
      await page.getByTestId('use-as-champion').click();
      await page.locator('#goal-heading').waitFor();
      const select = page.getByTestId('baseline-select');
      expect(await select.evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe(`Champion model: ${BUNDLE_NAME}`);
      expect(await page.locator('#baseline-hint').textContent()).toContain(BUNDLE_NAME);
      await page.waitForFunction(() => !(document.querySelector('[data-testid="start-run"]') as HTMLButtonElement | null)?.disabled);
      await page.getByTestId('start-run').click();
      await waitForRunDone(page);
      await page.getByTestId('see-results').click();
      const ab = page.getByTestId('ab-result');
      await ab.waitFor();
      const championName = new RegExp(`^The champion model \\(${BUNDLE_NAME.replace(/\./g, '\\.')}, exported \\d{4}-\\d{2}-\\d{2}\\)$`);
      expect(await ab.locator('[data-row="baseline"] th').textContent()).toMatch(championName);
      // Same data, same seed, same test split: the champion scores there what it scored as the first winner.
      const championScore = Number(await ab.locator('[data-row="baseline"] td').first().textContent());
      expect(championScore).toBeCloseTo(firstTestScore, 2);

      // Data without one of the champion's columns: the Goal step says so, and Start stays off.
      await page.getByTestId('step-data').click();
      await dropCsv(page, 'titanic-without.csv', sampleWithout(badColumn!));
      await waitForDataset(page, 'titanic-without.csv');
      await page.getByTestId('to-goal').click();
      await page.getByTestId('target-select').selectOption('Survived');
      await page.getByTestId('baseline-select').selectOption({ label: `Champion model: ${BUNDLE_NAME}` });
      expect(await page.getByTestId('goal-error').textContent()).toBe(
        `The champion model needs column "${badColumn}", which this data does not have. Choose another existing process, or load the data the champion was trained on.`,
      );
      expect(await page.getByTestId('goal-error').getAttribute('role')).toBe('alert');
      expect(await page.getByTestId('start-run').isDisabled()).toBe(true);
      await screenshot(page, 'ship-03-goal-champion-lacks-column-1280');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
