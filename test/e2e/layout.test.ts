/** A wide dataset (Ames housing, 82 columns) must not widen the page: the profile scrolls in its own box. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { datasetPath } from '../helpers/datasets.ts';
import { horizontalOverflow, launchBrowser, openPage, screenshot } from './browser.ts';

describe('layout with a wide dataset', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('fits 1280×800 and 400 px wide with ames_housing loaded', async () => {
    const { context, page, errors } = await openPage(browser, { width: 1280, height: 800 });
    try {
      await page.getByTestId('csv-input').setInputFiles(datasetPath('ames_housing'));
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="profile-row"]').length === 82, null, {
        timeout: 60_000,
      });
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);
      // The table box scrolls instead of the page.
      const sizes = await page.locator('.scroller').evaluate((el) => ({
        scrollHeight: el.scrollHeight,
        clientHeight: el.clientHeight,
      }));
      expect(sizes.scrollHeight).toBeGreaterThan(sizes.clientHeight);
      // Column names with spaces and '/' are shown as written.
      expect(await page.getByTestId('profile-table').textContent()).toContain('Year Remod/Add');
      await screenshot(page, 'layout-01-ames-1280', { fullPage: false });
      await screenshot(page, 'layout-02-ames-1280-full');

      await page.setViewportSize({ width: 400, height: 800 });
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);
      await screenshot(page, 'layout-03-ames-400', { fullPage: false });
      await screenshot(page, 'layout-04-ames-400-full');
      // Scrolled sideways inside its box, the table keeps the column names in view (sticky first column).
      const scroller = page.locator('.scroller');
      await scroller.scrollIntoViewIfNeeded();
      const shifted = await scroller.evaluate((el) => {
        el.scrollLeft = el.scrollWidth;
        el.scrollTop = 600;
        return el.scrollLeft;
      });
      expect(shifted).toBeGreaterThan(0);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);
      const nameCell = await page.getByTestId('profile-row').nth(12).locator('th').boundingBox();
      const box = await scroller.boundingBox();
      expect(nameCell && box && Math.abs(nameCell.x - box.x) < 2).toBe(true);
      await screenshot(page, 'layout-06-ames-400-scrolled', { fullPage: false });

      // Same check on a fresh page at 400 px, before any data (the empty Data step).
      const narrow = await openPage(browser, { width: 400, height: 800 });
      try {
        await narrow.page.getByTestId('drop-zone').waitFor();
        expect(await horizontalOverflow(narrow.page)).toBeLessThanOrEqual(1);
        await screenshot(narrow.page, 'layout-05-empty-400');
        expect(narrow.errors).toEqual([]);
      } finally {
        await narrow.context.close();
      }
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
