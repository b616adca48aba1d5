/**
 * Offline and private: once the service worker has precached the app (worker chunks and the three
 * tfjs .wasm binaries included), a whole search runs with the network off, and no request of the
 * run leaves the origin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, launchBrowser, openPage, screenshot } from './browser.ts';
import { dropDataset, foreignRequests, recordRequests, setGoal, waitForRunDone } from './flow.ts';

describe('run offline', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('runs a search with the network off after the first visit', async () => {
    let requests: string[] = [];
    const { context, page, errors } = await openPage(browser, undefined, {
      beforeLoad: async (ctx) => {
        requests = recordRequests(ctx);
      },
    });
    try {
      await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, null, { timeout: 60_000 });
      const cached = await page.evaluate(async () => {
        const urls: string[] = [];
        for (const name of await caches.keys()) {
          for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
        }
        return urls;
      });
      for (const chunk of [/experiment\.worker.*\.js$/, /trial\.worker.*\.js$/, /target-check\.worker.*\.js$/]) {
        expect(
          cached.some((u) => chunk.test(u)),
          `precached ${chunk}`,
        ).toBe(true);
      }
      for (const wasm of ['tfjs-backend-wasm-', 'tfjs-backend-wasm-simd-', 'tfjs-backend-wasm-threaded-simd-']) {
        expect(
          cached.some((u) => u.includes(`/${wasm}`) && u.endsWith('.wasm')),
          `precached ${wasm}*.wasm`,
        ).toBe(true);
      }

      await context.setOffline(true);
      await page.reload();
      await page.getByTestId('drop-zone').waitFor({ timeout: 30_000 });
      await dropDataset(page, 'iris');
      await setGoal(page, { target: 'species', budget: 5 });
      expect(await page.getByTestId('task-select').inputValue()).toBe('multiclass');
      await page.getByTestId('start-run').click();
      await waitForRunDone(page);
      await page.getByTestId('see-results').click();
      await page.getByTestId('results').waitFor();
      // Multiclass: a 3 × 3 confusion matrix over the 30 test rows, one ROC curve per class.
      const cells = await page.$$eval('[data-testid="confusion-matrix"] td', (tds) => tds.map((td) => Number(td.textContent)));
      expect(cells).toHaveLength(9);
      expect(cells.reduce((a, b) => a + b, 0)).toBe(30);
      expect(await page.getByTestId('roc-chart').locator('path').count()).toBe(3);
      await screenshot(page, 'offline-02-run-results');

      expect(foreignRequests(requests, baseUrl())).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
