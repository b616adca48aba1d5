/**
 * A table read as a row sample in the page: `?maxRows=N` sets a row limit below what the device
 * allows (the same path a file too big for the device's memory takes), so a small real file
 * exercises it. The Data step says so with the numbers, and the profile is the sample's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { datasetPath } from '../helpers/datasets.ts';
import { launchBrowser, openPage, screenshot } from './browser.ts';

describe('reading a sample of the rows', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('?maxRows=5000 reads adult.csv (48,842 rows) as a seeded sample of 5,000 and says so', async () => {
    const { context, page, errors } = await openPage(browser, { width: 1280, height: 900 }, { path: '?maxRows=5000' });
    try {
      await page.getByTestId('drop-zone').waitFor();
      await page.getByTestId('csv-input').setInputFiles(datasetPath('adult'));
      await expect.poll(() => page.getByTestId('sample-notice').count(), { timeout: 60_000 }).toBe(1);
      const notice = ((await page.getByTestId('sample-notice').textContent()) ?? '').replace(/\s+/g, ' ');
      expect(notice).toContain('This file has 48,842 rows; the row limit is set to 5,000.');
      expect(notice).toContain('a seeded random sample of 5,000 rows (uniform, seed 42)');
      const shape = ((await page.getByTestId('dataset-shape').textContent()) ?? '').replace(/\s+/g, ' ');
      expect(shape).toContain('5,000 rows × 15 columns');
      expect(await page.getByTestId('dataset-summary').textContent()).toContain('sample of 48,842 rows');
      // The reader's note, and a profile of 5,000 rows: age has no missing cells and its counts add up to the sample.
      expect(await page.locator('[data-testid="ingest-note"][data-kind="sample"]').count()).toBe(1);
      await screenshot(page, 'data-sample-notice', { fullPage: false });

      // Choosing the target reads the sample again, stratified by it: 11,687 of 48,842 rows earn >50K,
      // so 1,196.4 of 5,000 (largest remainder: 1,196) and 3,804 ≤50K.
      await page.getByTestId('to-goal').click();
      await page.getByTestId('target-select').selectOption('income');
      await page.getByTestId('step-data').click();
      const notice2 = async () => ((await page.getByTestId('sample-notice').textContent()) ?? '').replace(/\s+/g, ' ');
      await expect.poll(notice2, { timeout: 60_000 }).toContain('stratified by “income”');
      await screenshot(page, 'data-sample-stratified', { fullPage: false });
      expect(await notice2()).toContain(
        'a seeded random sample of 5,000 rows (stratified by “income”, so each of its values keeps its share of the file, seed 42)',
      );
      // The profile is the stratified sample's: the level bar's segment titles carry the counts.
      const income = page.locator('[data-testid="profile-row"]', { hasText: 'income' });
      expect(await income.textContent()).toContain('>50K: 1196 ');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('without the option the same file is read whole, with no notice', async () => {
    const { context, page, errors } = await openPage(browser);
    try {
      await page.getByTestId('csv-input').setInputFiles(datasetPath('adult'));
      await expect
        .poll(async () => ((await page.getByTestId('dataset-shape').textContent()) ?? '').replace(/\s+/g, ' '), { timeout: 60_000 })
        .toContain('48,842 rows × 15 columns');
      expect(await page.getByTestId('sample-notice').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
