/**
 * Costs in the Goal step, in the production build: pima_diabetes with a missed case costing 5 times a
 * false alarm. The Compare step shows the calibration (reliability diagram, ECE before and after) and
 * the tuned threshold with its cost per 1,000 cases; moving the threshold slider changes the confusion
 * matrix and the cost, which must equal what the confusion matrix and the costs give.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot } from './browser.ts';
import { dropDataset, setGoal, waitForRunDone } from './flow.ts';

async function cells(page: import('playwright-core').Page): Promise<{ tp: number; fn: number; fp: number; tn: number }> {
  const read = async (id: string) => Number(await page.getByTestId(id).textContent());
  return { tp: await read('cm-tp'), fn: await read('cm-fn'), fp: await read('cm-fp'), tn: await read('cm-tn') };
}

async function shownCost(page: import('playwright-core').Page): Promise<number> {
  return Number(((await page.getByTestId('threshold-cost').textContent()) ?? '').replace(/,/g, ''));
}

describe('costs, calibration and a movable threshold', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('tunes the threshold to the costs set in the Goal step and recomputes the cost as the threshold moves', async () => {
    const { context, page, errors } = await openPage(browser);
    try {
      await dropDataset(page, 'pima_diabetes');
      await setGoal(page, { target: 'Outcome', budget: 10 });
      await page.getByTestId('decision-mode-costs').check();
      await page.getByTestId('cost-fp').fill('1');
      await page.getByTestId('cost-fn').fill('5');
      await page.waitForFunction(() => !(document.querySelector('[data-testid="start-run"]') as HTMLButtonElement | null)?.disabled);
      await screenshot(page, 'goal-costs');
      await page.getByTestId('start-run').click();
      await waitForRunDone(page);
      await page.getByTestId('see-results').click();
      await page.getByTestId('decision-panel').waitFor();

      expect(await page.getByTestId('reliability-chart').count()).toBe(1);
      expect(Number(await page.getByTestId('ece-before').textContent())).toBeGreaterThanOrEqual(0);
      const summary = (await page.getByTestId('decision-summary').textContent()) ?? '';
      expect(summary).toMatch(/Threshold tuned out of fold: flag a case as “1” when its probability is at least \d+\.\d %/);
      const num = async (id: string) => Number(((await page.getByTestId(id).textContent()) ?? '').replace(/,/g, ''));
      const [tuned, atHalf] = [await num('cost-tuned'), await num('cost-at-half')];
      expect(Number.isFinite(tuned)).toBe(true);
      expect(Number.isFinite(atHalf)).toBe(true);

      // The cost shown at the slider's start equals the costs applied to the confusion shown.
      const check = async () => {
        const c = await cells(page);
        expect(c.tp + c.fn + c.fp + c.tn).toBeGreaterThan(100);
        expect(await shownCost(page)).toBeCloseTo((1000 * (c.fp * 1 + c.fn * 5)) / (c.tp + c.fn + c.fp + c.tn), 0);
        return c;
      };
      const start = await check();
      const startCost = await shownCost(page);
      // The slider starts at the tuned threshold (rounded to a whole percent, so within a few rows of it).
      expect(startCost).toBeGreaterThan(0);
      await page.getByTestId('decision-panel').screenshot({ path: 'test-artifacts/decision-panel.png' });

      // Move the threshold to 90 %: fewer rows flagged, more missed, and the cost follows.
      const slider = page.getByTestId('threshold-slider');
      await slider.fill('90');
      await page.waitForFunction(() => document.querySelector('[data-testid="threshold-value"]')?.textContent === '90 %');
      const high = await check();
      expect(high.tp + high.fp).toBeLessThan(start.tp + start.fp);
      expect(high.fn).toBeGreaterThan(start.fn);
      expect(await shownCost(page)).not.toBe(startCost);
      expect(await shownCost(page)).toBeGreaterThan(startCost);

      // And back to the tuned threshold.
      await page.getByTestId('threshold-reset').click();
      await page.waitForFunction((c) => document.querySelector('[data-testid="threshold-cost"]')?.textContent?.replace(/,/g, '') === String(c), startCost);
      expect(await cells(page)).toEqual(start);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
