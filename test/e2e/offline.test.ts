/**
 * The PWA promise: once the service worker controls the page, the app reloads and parses a CSV
 * with the network off (the worker script and the bundled samples come from the precache).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { datasetPath } from '../helpers/datasets.ts';
import { launchBrowser, openPage, screenshot } from './browser.ts';

describe('offline', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('reloads and parses a CSV with the network off', async () => {
    const { context, page, errors } = await openPage(browser);
    try {
      // The service worker installs (precaching everything) and then claims this page.
      await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, null, { timeout: 60_000 });
      expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
      const cached = await page.evaluate(async () => {
        const urls: string[] = [];
        for (const name of await caches.keys()) {
          for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
        }
        return urls;
      });
      // Everything the page can need offline: the shell, the ingest worker's chunk, the samples, the icon.
      expect(cached.some((u) => u.endsWith('/index.html'))).toBe(true);
      expect(cached.some((u) => /ingest\.worker.*\.js$/.test(u))).toBe(true);
      expect(cached.some((u) => u.endsWith('/samples/titanic.csv'))).toBe(true);
      expect(cached.some((u) => u.endsWith('/icon.svg'))).toBe(true);

      await context.setOffline(true);
      await page.reload();
      await page.getByTestId('drop-zone').waitFor({ timeout: 30_000 });
      // The precached page keeps its COOP/COEP headers: tfjs-backend-wasm can still use threads offline.
      expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
      // Offline for real: a request to our own server fails when the service worker does not answer it.
      const direct = await page.evaluate(() =>
        fetch(`/not-precached-${Date.now()}.txt`).then(
          () => 'answered',
          () => 'failed',
        ),
      );
      expect(direct).toBe('failed');

      await page.getByTestId('csv-input').setInputFiles(datasetPath('iris'));
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="profile-row"]').length === 5, null, {
        timeout: 60_000,
      });
      expect(await page.getByTestId('dataset-summary').textContent()).toContain('iris.csv');

      await page.getByTestId('sample-titanic').click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="profile-row"]').length === 12, null, {
        timeout: 60_000,
      });
      await screenshot(page, 'offline-01-sample-loaded');
      // The failed probe fetch above logs a console error; anything else is a real problem.
      expect(errors.filter((e) => !e.includes('not-precached'))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
