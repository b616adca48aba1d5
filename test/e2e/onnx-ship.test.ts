/**
 * model.onnx from the Ship step of the production build: the insurance sample (no free text), a
 * short search, then the separate `download-onnx` button, whose file is the bundle's model.onnx byte
 * for byte and runs in ONNX Runtime with one input per schema.json column; a winner that does not
 * export (a kNN member) shows `onnx-unavailable` with the reason instead.
 */
import { strFromU8, unzipSync } from 'fflate';
import fs from 'node:fs';
import * as ort from 'onnxruntime-node';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onnxUnsupportedReason } from '../../src/core/export/onnx/support.ts';
import type { BundleModelFile } from '../../src/core/export/runtime/types.ts';
import { launchBrowser, openPage, screenshot } from './browser.ts';
import { setGoal, waitForDataset, waitForRunDone } from './flow.ts';

async function downloaded(page: Page, testId: string): Promise<{ download: Download; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId(testId).click()]);
  return { download, bytes: fs.readFileSync((await download.path())!) };
}

describe('ONNX download in the Ship step', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('downloads model.onnx on its own, the same bytes as in the bundle, and it runs', async () => {
    const { context, page, errors } = await openPage(browser);
    try {
      await page.getByTestId('sample-insurance').click();
      await waitForDataset(page, 'insurance.csv');
      await setGoal(page, { target: 'charges', budget: 5 });
      await page.getByTestId('start-run').click();
      await waitForRunDone(page);
      await page.getByTestId('see-results').click();
      await page.getByTestId('to-ship').click();
      await page.locator('[data-testid="download-bundle"]:not([disabled])').waitFor({ timeout: 60_000 });
      const bundle = await downloaded(page, 'download-bundle');
      const files = unzipSync(new Uint8Array(bundle.bytes));
      const modelFile = JSON.parse(strFromU8(files['model.json'])) as BundleModelFile;
      const reason = onnxUnsupportedReason(modelFile.model);
      await screenshot(page, 'ship-onnx-1280');
      if (reason !== null) {
        expect(files['model.onnx']).toBeUndefined();
        expect(await page.getByTestId('onnx-unavailable').textContent()).toContain(reason);
        return;
      }
      const onnxFile = await downloaded(page, 'download-onnx');
      expect(onnxFile.download.suggestedFilename()).toBe('insurance-sieve-model.onnx');
      expect(new Uint8Array(onnxFile.bytes)).toEqual(files['model.onnx']);
      expect(await page.getByTestId('onnx-size').textContent()).toMatch(/^insurance-sieve-model\.onnx · \d+ KB/);
      const session = await ort.InferenceSession.create(new Uint8Array(onnxFile.bytes));
      expect(session.inputNames).toEqual(modelFile.input.columns.map((c) => c.name));
      expect(session.outputNames).toEqual(['prediction']);
      await session.release();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
