/**
 * Deployment limits in the Goal step, in the production build: pima_diabetes with Glucose's effect
 * constrained increasing and a generous prediction-time limit. The Goal step says which families the
 * constraint leaves out; the leaderboard holds only gradient boosting and linear models; the Compare
 * step shows the measured prediction time and no monotonicity violation on any test row.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot } from './browser.ts';
import { dropDataset, setGoal, waitForRunDone } from './flow.ts';

describe('deployment limits and monotonic effects', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('searches only families that honour a monotonic effect and verifies it on the test split', async () => {
    const { context, page, errors } = await openPage(browser);
    try {
      await dropDataset(page, 'pima_diabetes');
      await setGoal(page, { target: 'Outcome', budget: 10 });
      await page.getByTestId('constraint-fields').locator('summary').click();
      await page.getByTestId('monotonic-Glucose').selectOption('1');
      await page.getByTestId('max-predict-ms').fill('200');
      await page.getByTestId('constraint-families-note').waitFor();
      expect(await page.getByTestId('constraint-families-note').textContent()).toMatch(/only gradient boosting and linear models are searched/);
      await page.waitForFunction(() => !(document.querySelector('[data-testid="start-run"]') as HTMLButtonElement | null)?.disabled);
      await screenshot(page, 'goal-constraints');
      await page.getByTestId('start-run').click();
      await waitForRunDone(page);
      const families = await page.$$eval('[data-testid="leaderboard-row"]', (rows) => rows.map((r) => r.getAttribute('data-family')));
      expect(families.length).toBeGreaterThan(0);
      for (const f of families) expect(['gbdt', 'linear', 'ensemble']).toContain(f);
      await page.getByTestId('see-results').click();
      const panel = page.getByTestId('constraints-panel');
      await panel.waitFor();
      expect(await panel.getAttribute('data-satisfied')).toBe('true');
      expect(await page.getByTestId('monotonic-violations').textContent()).toMatch(/^no violation on \d+ rows × 100 values$/);
      expect(await page.getByTestId('measured-predict-ms').textContent()).toMatch(/^\d+\.\d ms$/);
      await panel.screenshot({ path: 'test-artifacts/constraints-panel.png' });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
