/**
 * Issue #15 in the page: after a short search on the titanic sample, the Ship step scores a shifted
 * copy of the data (two numeric columns moved by 1.5 standard deviations, a category never seen in
 * one column, a third of another column emptied) and the drift table flags exactly those columns,
 * with before/after histograms; the predictions carry the conformal set; major drift on a file with
 * the target offers a retrain with the shipped model as the champion, which opens the Goal step with
 * the champion chosen and the search's A/B comparison naming it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { strFromU8, unzipSync } from 'fflate';
import Papa from 'papaparse';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleModelFile } from '../../src/core/export/runtime/types.ts';
import { launchBrowser, openPage, screenshot } from './browser.ts';
import { setGoal, waitForDataset, waitForRunDone } from './flow.ts';

const SAMPLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../public/samples/titanic.csv');

/** The sample (target included) with the shifts applied; deterministic (every third row gets the new level, every third row another column emptied). */
function shiftedSample(meanShift: string[], newCategory: string, missingJump: string): string {
  const parsed = Papa.parse<Record<string, string>>(fs.readFileSync(SAMPLE, 'utf8'), { header: true, skipEmptyLines: true });
  const rows = parsed.data;
  for (const col of meanShift) {
    const values = rows.map((r) => Number(r[col])).filter((v, i) => rows[i][col] !== '' && Number.isFinite(v));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
    for (const r of rows) if (r[col] !== '') r[col] = String(Number(r[col]) + 1.5 * sd);
  }
  rows.forEach((r, i) => {
    if (i % 3 === 0) r[newCategory] = 'Atlantis';
    if (i % 3 === 1) r[missingJump] = '';
  });
  return Papa.unparse(rows, { columns: parsed.meta.fields }) + '\n';
}

async function bundleModelFile(page: Page): Promise<BundleModelFile> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('download-bundle').click()]);
  const files = unzipSync(new Uint8Array(fs.readFileSync((await download.path())!)));
  return JSON.parse(strFromU8(files['model.json'])) as BundleModelFile;
}

describe('drift check in the Ship step', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('flags the shifted columns of a scored CSV and offers a retrain with the model as champion', async () => {
    const { context, page, errors } = await openPage(browser);
    try {
      await page.getByTestId('sample-titanic').click();
      await waitForDataset(page, 'titanic.csv');
      await setGoal(page, { target: 'Survived', budget: 7 });
      expect(await page.getByTestId('coverage-select').inputValue()).toBe('0.9');
      await page.getByTestId('start-run').click();
      await waitForRunDone(page);
      await page.getByTestId('see-results').click();
      // The Compare step reports the sets' coverage on the test split, by class.
      const coverageCard = page.getByTestId('conformal-coverage');
      await coverageCard.waitFor();
      expect(await page.getByTestId('conformal-achieved').textContent()).toMatch(/^\d+\.\d %$/);
      expect(await page.getByTestId('conformal-slice').count()).toBe(2);
      await coverageCard.screenshot({ path: (await screenshot(page, 'drift-00-compare-1280')).replace('.png', '-coverage.png') });
      await page.getByTestId('to-ship').click();
      await page.locator('[data-testid="download-bundle"]:not([disabled])').waitFor({ timeout: 60_000 });
      const modelFile = await bundleModelFile(page);
      // Which inputs the winner reads (feature selection may drop some): shift among those.
      const profiled = new Map(modelFile.model.drift!.columns.map((c) => [c.name, c.kind]));
      const typeOf = (name: string) => modelFile.input.columns.find((c) => c.name === name)?.type;
      const numeric = ['Age', 'Fare', 'SibSp', 'Parch', 'Pclass'].filter((n) => profiled.get(n) === 'numeric' && typeOf(n) === 'numeric');
      const categorical = ['Embarked', 'Cabin', 'Sex'].find((n) => profiled.get(n) === 'categorical' && typeOf(n) === 'categorical');
      expect(numeric.length, `numeric inputs among ${[...profiled.keys()].join(', ')}`).toBeGreaterThanOrEqual(2);
      expect(categorical).toBeDefined();
      const [meanA, meanB] = numeric;
      // Emptied: a third numeric input, or (if feature selection left only two) any other input.
      const missing = numeric[2] ?? [...profiled.keys()].find((n) => ![meanA, meanB, categorical].includes(n));
      expect(missing).toBeDefined();
      const shifted = shiftedSample([meanA, meanB], categorical!, missing!);

      await page.getByTestId('coverage-note').waitFor();
      expect(await page.getByTestId('scoring-coverage').inputValue()).toBe('0.9');
      await page.getByTestId('predict-input').setInputFiles({ name: 'titanic-shifted.csv', mimeType: 'text/csv', buffer: Buffer.from(shifted) });
      const table = page.getByTestId('drift-report');
      await table.waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('predict-summary').textContent()).toBe('Scored 891 of 891 rows of titanic-shifted.csv.');
      const verdicts = await page
        .getByTestId('drift-row')
        .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-column'), r.getAttribute('data-verdict')]));
      const flagged = verdicts.filter(([, v]) => v !== 'stable').map(([c]) => c);
      expect(flagged.sort()).toEqual([meanA, meanB, categorical, missing].sort());
      expect(verdicts).toHaveLength(profiled.size);
      expect(await page.getByTestId('drift-histogram').count()).toBe(4);
      expect(await page.getByTestId('drift-verdict').textContent()).toMatch(/^Drift check: Major drift in /);
      const newLevelRow = page.locator(`[data-testid="drift-row"][data-column="${categorical}"]`);
      expect(await newLevelRow.textContent()).toContain('Atlantis');
      // The preview carries the conformal set next to the probabilities.
      expect(await page.getByTestId('predict-preview').locator('thead th').allTextContents()).toContain('Survived_set');
      const shot = await screenshot(page, 'drift-01-ship-table-1280');
      await table.screenshot({ path: shot.replace('.png', '-table.png') });

      // Another coverage for the next file: at 99 % the preview's sets hold more classes than at 90 %.
      const setSizes = async () => {
        const head = await page.getByTestId('predict-preview').locator('thead th').allTextContents();
        const col = head.indexOf('Survived_set');
        const cells = await page
          .getByTestId('predict-preview')
          .locator(`tbody tr td:nth-child(${col + 1})`)
          .allTextContents();
        return cells.reduce((a, c) => a + (c === '' ? 0 : c.split('|').length), 0);
      };
      const at90 = await setSizes();
      await page.getByTestId('scoring-coverage').selectOption('0.99');
      await page.getByTestId('predict-input').setInputFiles({ name: 'titanic-shifted.csv', mimeType: 'text/csv', buffer: Buffer.from(shifted) });
      await expect.poll(setSizes, { timeout: 30_000 }).toBeGreaterThan(at90);
      await page.getByTestId('drift-report').waitFor();

      // Major drift and the file has the target: retrain on it, this model the champion.
      await page.getByTestId('retrain-with-champion').click();
      await page.locator('#goal-heading').waitFor({ timeout: 30_000 });
      await expect.poll(() => page.getByTestId('target-select').inputValue(), { timeout: 30_000 }).toBe('Survived');
      const select = page.getByTestId('baseline-select');
      await expect
        .poll(() => select.evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent))
        .toBe('Champion model: titanic-sieve-bundle.zip');
      await page.waitForFunction(() => !(document.querySelector('[data-testid="start-run"]') as HTMLButtonElement | null)?.disabled);
      await page.getByTestId('budget-input').fill('7');
      await page.getByTestId('start-run').click();
      await waitForRunDone(page);
      await page.getByTestId('see-results').click();
      const ab = page.getByTestId('ab-result');
      await ab.waitFor();
      expect(await ab.locator('[data-row="baseline"] th').textContent()).toMatch(
        /^The champion model \(titanic-sieve-bundle\.zip, exported \d{4}-\d{2}-\d{2}\)$/,
      );
      // The new search ran on the shifted file, which the Data step now shows.
      await page.getByTestId('step-data').click();
      await waitForDataset(page, 'titanic-shifted.csv');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
