/**
 * Beating the existing process, in the production build: titanic with a column `today` holding a
 * deliberately weak rule of thumb (survives if the fare was over 50), chosen as the existing process.
 * The Compare step must say, with its statistics, that the model beats it; check the success
 * criterion; plan a live test with a traffic-split slider; and explain the model — including one
 * row's prediction, also after a reload (the worker rebuilds the model from IndexedDB).
 */
import fs from 'node:fs';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { datasetPath } from '../helpers/datasets.ts';
import { horizontalOverflow, launchBrowser, openPage, screenshot } from './browser.ts';
import { dropCsv, dropDataset, setGoal, waitForDataset, waitForRunDone, waitForSavedExperiment } from './flow.ts';

/** titanic.csv plus `today`: 1 when Fare > 50, else 0 — a rule that knows little about who survived. */
function titanicWithToday(): string {
  const parsed = Papa.parse<Record<string, string>>(fs.readFileSync(datasetPath('titanic'), 'utf8'), { header: true, skipEmptyLines: true });
  const rows = parsed.data.map((r) => ({ ...r, today: Number(r.Fare) > 50 ? '1' : '0' }));
  return Papa.unparse(rows, { columns: [...(parsed.meta.fields ?? []), 'today'] }) + '\n';
}

async function rolloutValue(page: Page): Promise<number> {
  return Number(await page.getByTestId('rollout-metric').getAttribute('data-value'));
}

describe('A/B comparison and explanations', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('beats an existing-process column, checks the success criterion, plans a rollout and explains a row', async () => {
    const { context, page, errors } = await openPage(browser);
    try {
      await dropCsv(page, 'titanic-today.csv', titanicWithToday());
      await waitForDataset(page, 'titanic-today.csv');
      // 15 s: on a loaded 2-core machine an 8 s budget sometimes ended before the logistic regression
      // (3.7 s a trial under load) reported, and a kNN at 0.72 missed the 0.75 criterion this test
      // asserts is met. What is checked here is the comparison, not how far the search got.
      await setGoal(page, { target: 'Survived', budget: 15 });
      await page.getByTestId('baseline-select').selectOption('today');
      await page.getByTestId('success-threshold').fill('0.75');
      await page.waitForFunction(() => !(document.querySelector('[data-testid="start-run"]') as HTMLButtonElement | null)?.disabled);
      await page.getByTestId('start-run').click();
      await waitForRunDone(page);
      await page.getByTestId('see-results').click();
      await page.getByTestId('results').waitFor();
      const shownAt = Date.now();

      // The verdict, in words and in numbers.
      const ab = page.getByTestId('ab-result');
      await ab.waitFor();
      expect(await ab.getAttribute('data-verdict')).toBe('better');
      const verdict = (await page.getByTestId('ab-verdict').textContent()) ?? '';
      expect(verdict).toMatch(/The model is better\./);
      expect(verdict).toMatch(/The model beats the existing process \("today"\): ROC AUC 0\.\d+ vs 0\.\d+ \(\+0\.\d+, 95 % CI \+0\.\d+ to \+0\.\d+; DeLong p/);
      const cells = await page.$$eval('[data-testid="ab-table"] tbody tr', (trs) =>
        trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent?.trim() ?? '')),
      );
      expect(cells.map((c) => c[0])).toEqual(['The model (winner)', 'The existing process ("today")', 'Difference (model − baseline)']);
      const [model, baseline] = [Number(cells[0][1]), Number(cells[1][1])];
      expect(model).toBeGreaterThan(0.75);
      expect(baseline).toBeLessThan(0.7);
      expect(Number(cells[2][1])).toBeCloseTo(model - baseline, 2);
      expect(cells[0][2]).toMatch(/^0\.\d+–0\.\d+$/);
      expect(await page.getByTestId('ab-test').textContent()).toMatch(/DeLong, p (<|=) 0\.\d+/);
      expect(await page.getByTestId('ab-chart').locator('circle').count()).toBe(2);

      // The success criterion, with the metric's own interval.
      const success = page.getByTestId('success-result');
      expect(await success.getAttribute('data-state')).toBe('met');
      expect(await success.textContent()).toMatch(/ROC AUC 0\.\d+ ≥ 0\.75: met; 95 % CI 0\.\d+–0\.\d+/);

      // Live test planning: a sample size, and a slider that moves the expected metric.
      expect(await page.getByTestId('live-plan-size').textContent()).toMatch(/[\d,]+ rows to each arm/);
      const slider = page.getByTestId('traffic-split');
      const label = await slider.evaluate((el) => (el as HTMLInputElement).labels?.[0]?.textContent ?? '');
      expect(label).toMatch(/traffic sent to the model: 50 %/);
      const half = await rolloutValue(page);
      await slider.focus();
      await page.keyboard.press('ArrowRight');
      expect(await slider.inputValue()).toBe('55');
      const more = await rolloutValue(page);
      expect(more).toBeGreaterThan(half);
      await page.keyboard.press('End');
      expect(await rolloutValue(page)).toBeCloseTo(model, 2);
      await page.keyboard.press('Home');
      expect(await rolloutValue(page)).toBeCloseTo(baseline, 2);
      for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
      expect(await slider.inputValue()).toBe('30');

      // Explanations: permutation importance on the test split, partial dependence, one row.
      expect(await page.getByTestId('importance-chart').getAttribute('data-kind')).toBe('permutation');
      expect(await page.getByTestId('pd-chart').count()).toBeGreaterThanOrEqual(1);
      const explained = page.getByTestId('row-explanation');
      await explained.waitFor({ timeout: 30_000 });
      console.log(`row explanation (${await explained.getAttribute('data-method')}) shown ${Date.now() - shownAt} ms after the results`);
      expect(await explained.getAttribute('data-test-row')).toBe('1');
      expect(await page.getByTestId('row-explanation-method').textContent()).toMatch(
        /(exact Tree SHAP|sampling SHAP \(an approximation\)), in (log-odds|probability) of "1"/,
      );
      expect(await explained.locator('rect').count()).toBeGreaterThan(2);
      const input = page.getByTestId('explain-row-input');
      expect(await input.evaluate((el) => (el as HTMLInputElement).labels?.[0]?.textContent ?? '')).toBe('Test row');
      await input.fill('7');
      await page.locator('[data-testid="row-explanation"][data-test-row="7"]').waitFor({ timeout: 30_000 });
      await input.fill('900');
      expect(await page.locator('#explain-row-hint').textContent()).toMatch(/from 1 to 178/);
      await input.fill('7');
      // Back to the row on screen: nothing to recompute, the chart stays.
      expect(await page.getByTestId('row-explanation-status').textContent()).not.toMatch(/Explaining/);
      expect(await explained.getAttribute('data-test-row')).toBe('7');

      await screenshot(page, 'ab-01-compare-1280');
      await page.setViewportSize({ width: 400, height: 800 });
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);
      await screenshot(page, 'ab-01-compare-400');
      await page.setViewportSize({ width: 1280, height: 800 });

      // After a reload the results come back from IndexedDB, and the worker explains rows again
      // from the saved model.
      await waitForSavedExperiment(page, { status: 'finished', withResults: true });
      await page.reload();
      await page.getByTestId('ab-result').waitFor({ timeout: 60_000 });
      const reloadedAt = Date.now();
      expect(await page.getByTestId('ab-result').getAttribute('data-verdict')).toBe('better');
      await page.locator('[data-testid="row-explanation"][data-test-row="1"]').waitFor({ timeout: 60_000 });
      console.log(`after a reload: row explanation (model rebuilt from IndexedDB) ${Date.now() - reloadedAt} ms after the results`);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('compares a regression with the best single-feature rule and lets the user try a threshold', async () => {
    const { context, page, errors } = await openPage(browser);
    try {
      await dropDataset(page, 'insurance');
      await setGoal(page, { target: 'charges', budget: 6 });
      await page.getByTestId('start-run').click();
      await waitForRunDone(page);
      await page.getByTestId('see-results').click();
      const ab = page.getByTestId('ab-result');
      await ab.waitFor();
      // No existing-process column: the engine's naive baseline, named by its rule.
      expect(await ab.locator('[data-row="baseline"] th').textContent()).toMatch(
        /^The best single-feature rule \(smoker ∈ \{(no|yes)\} → [\d,.]+ else [\d,.]+\)$/,
      );
      expect(await ab.getAttribute('data-verdict')).toBe('better');
      expect(await page.getByTestId('ab-verdict').textContent()).toMatch(/RMSE [\d.,]+ vs [\d.,]+ \(lower is better; −/);
      // Dollars need no cents: whole numbers, grouped.
      const values = await ab.locator('tbody td.num').allTextContents();
      expect(values[0]).toMatch(/^\d{1,3}(,\d{3})*(\.\d)?$/);
      expect(await page.getByTestId('ab-test').textContent()).toMatch(/paired t-test on squared errors/);

      // No threshold was set: the badge invites one, and checks what is typed against the same interval.
      const badge = page.getByTestId('success-result');
      expect(await badge.getAttribute('data-state')).toBe('unset');
      const tryInput = page.getByTestId('success-try');
      await tryInput.fill('100000');
      expect(await badge.getAttribute('data-state')).toBe('met');
      expect(await page.getByTestId('success-message').textContent()).toMatch(/^RMSE [\d.]+ ≤ 100000(\.0+)?: met; 95 % CI [\d.]+–[\d.]+\.$/);
      await tryInput.fill('10');
      expect(await badge.getAttribute('data-state')).toBe('not-met');
      await tryInput.fill('ten');
      expect(await badge.getAttribute('data-state')).toBe('unset');
      expect(await badge.textContent()).toMatch(/Type a number/);
      await tryInput.fill('');

      // Numeric partial dependence draws lines; the row explanation is in the target's unit. Both come
      // from the explanations computed after the run, which on a loaded 2-core machine (CI beside another
      // browser) took over 30 s: the wait is for them, with room for that.
      await page.locator('[data-testid="pd-chart"][data-kind="numeric"] path').first().waitFor({ timeout: 90_000 });
      await page.getByTestId('row-explanation').waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('row-explanation-method').textContent()).toMatch(/in predicted value/);
      await screenshot(page, 'ab-02-regression-1280');
      await page.setViewportSize({ width: 400, height: 800 });
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);
      await screenshot(page, 'ab-02-regression-400');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
