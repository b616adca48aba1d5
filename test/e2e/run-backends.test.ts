/**
 * The compute backend each trial worker picks, and why: without WebGPU (no --enable-unsafe-webgpu,
 * requestAdapter() gives null) the badge says wasm and the run works; with a GPU that is lost mid-run
 * (SwiftShader allowed by ?gpu=software, its device destroyed through the test hook) the workers move
 * to WASM, the badge says so, and the run finishes.
 */
import { describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot } from './browser.ts';
import { dropDataset, setGoal, waitForRunDone } from './flow.ts';

function badgeBackend(): string | null {
  return document.querySelector('[data-testid="backend-badge"]')?.getAttribute('data-backend') ?? null;
}

describe('compute backends', () => {
  it('says wasm, and why, in a browser without WebGPU; the run works', async () => {
    const browser = await launchBrowser({ webgpu: false });
    try {
      const { context, page, errors } = await openPage(browser);
      try {
        await dropDataset(page, 'iris');
        await setGoal(page, { target: 'species', budget: 5 });
        await page.getByTestId('start-run').click();
        await page.waitForFunction(badgeBackend, null, { timeout: 30_000 });
        const badge = page.getByTestId('backend-badge');
        expect(await badge.getAttribute('data-backend')).toBe('wasm');
        expect(await badge.textContent()).toMatch(/WebGPU unavailable: (no adapter|this browser has no navigator\.gpu)/);
        await waitForRunDone(page);
        expect(await page.getByTestId('leaderboard-row').count()).toBeGreaterThan(2);
        await screenshot(page, 'backend-01-no-webgpu');
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    } finally {
      await browser.close();
    }
  });

  it('moves to WASM when the GPU device is lost mid-run, and the run finishes', async () => {
    const browser = await launchBrowser();
    try {
      const { context, page, errors } = await openPage(browser, undefined, { path: '?gpu=software' });
      try {
        await dropDataset(page, 'iris');
        await setGoal(page, { target: 'species', budget: 8 });
        await page.getByTestId('start-run').click();
        // The software adapter passes the matMul self-test: the workers start on WebGPU.
        await page.waitForFunction(() => document.querySelector('[data-testid="backend-badge"]')?.getAttribute('data-backend') === 'webgpu', null, {
          timeout: 60_000,
        });
        expect(await page.getByTestId('backend-badge').textContent()).toMatch(/self-test/);
        await page.getByTestId('leaderboard-row').first().waitFor({ timeout: 60_000 });
        await page.evaluate(() => (window as unknown as { sieveDebug: { loseGpuDevice: () => void } }).sieveDebug.loseGpuDevice());
        await page.waitForFunction(() => document.querySelector('[data-testid="backend-badge"]')?.getAttribute('data-backend') === 'wasm', null, {
          timeout: 30_000,
        });
        expect(await page.getByTestId('backend-badge').textContent()).toMatch(/GPU device lost.*switched to WASM/);
        await waitForRunDone(page);
        await page.getByTestId('see-results').click();
        await page.getByTestId('results').waitFor();
        await screenshot(page, 'backend-02-gpu-lost');
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    } finally {
      await browser.close();
    }
  });
});
