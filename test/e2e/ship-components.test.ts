/**
 * The Ship step's components in headless Chromium (a Vite dev server with the app's config and CSP
 * headers, the page test/e2e/ship/): download the bundle, score a CSV (preview, failed rows,
 * neutralised download), and load bundles back (tampered → alert; good → its card, scoring, "use as
 * the existing process"). Until the lead wires the Ship step into App.svelte this page mounts it
 * directly; the step's flow test through the real app should then take over.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/core/automl/experiment.ts';
import { InProcessRunner } from '../../src/core/automl/runner.ts';
import { buildBundle } from '../../src/core/export/bundle.ts';
import { bundleInputFromExperiment } from '../../src/core/export/from-experiment.ts';
import { readBundle } from '../../src/core/export/read-bundle.ts';
import { predictRuntimeSource } from '../../src/node/predict-runtime.ts';
import { readCsvFile } from '../../src/node/read-csv.ts';
import { summarizeRun } from '../../src/workers/run-summary.ts';
import { datasetPath } from '../helpers/datasets.ts';
import { ARTIFACTS_DIR, launchBrowser, screenshot } from './browser.ts';

const dir = path.join(ARTIFACTS_DIR, 'ship');
let server: ViteDevServer;
let browser: Browser;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  fs.mkdirSync(dir, { recursive: true });
  const file = datasetPath('titanic');
  const { frame, profile } = await readCsvFile(file);
  const result = await runExperiment(frame, { target: 'Survived', exclude: ['PassengerId', 'Name', 'Ticket'], maxTrials: 2, families: ['gbdt'], seed: 1 }, { runner: new InProcessRunner() });
  fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify({ summary: await summarizeRun(frame, result), model: result.model.toJSON() }));
  fs.copyFileSync(file, path.join(dir, 'train.csv'));
  const zip = await buildBundle(bundleInputFromExperiment(result, undefined, { frame, profile, dataset: { name: 'titanic.csv', sha256: '0'.repeat(64) }, predictRuntime: await predictRuntimeSource(), appVersion: '0.1.0' }));
  fs.writeFileSync(path.join(dir, 'good.zip'), zip);
  const tampered = Buffer.from(zip);
  tampered[Math.floor(tampered.length * 0.6)] ^= 0x55;
  fs.writeFileSync(path.join(dir, 'tampered.zip'), tampered);
  fs.writeFileSync(path.join(dir, 'not-a-bundle.zip'), 'Pclass,Sex\n1,male\n');
  fs.writeFileSync(path.join(dir, 'new.csv'), 'Pclass,Sex,Age,SibSp,Parch,Fare,Cabin,Embarked,Note\n3,male,22,1,0,7.25,,S,"=HYPERLINK(""x"")"\n1,female,abc,1,0,71.28,C85,C,ok\n');

  server = await createServer({ configFile: 'vite.config.ts', server: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
  await server.listen();
  browser = await launchBrowser();
  const context = await browser.newContext({ acceptDownloads: true });
  page = await context.newPage();
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => msg.type() === 'error' && errors.push(`console: ${msg.text()} (${msg.location().url})`));
  await page.goto(`${server.resolvedUrls!.local[0]}test/e2e/ship/index.html`);
  await page.waitForFunction(() => (window as unknown as { shipReady?: boolean }).shipReady === true, null, { timeout: 90_000 });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the Ship step', () => {
  it('downloads a valid bundle of the run', async () => {
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('download-bundle').click()]);
    expect(download.suggestedFilename()).toMatch(/^sieve-Survived-\d{4}-\d{2}-\d{2}\.zip$/);
    const bundle = readBundle(new Uint8Array(fs.readFileSync((await download.path())!)));
    expect(bundle.manifest).toMatchObject({ target: 'Survived', task: 'binary' });
  });

  it('scores a CSV: preview, failed rows listed, download with neutralised cells', async () => {
    await page.getByTestId('predict-input').setInputFiles(path.join(dir, 'new.csv'));
    await expect.poll(() => page.getByTestId('predict-summary').textContent(), { timeout: 30_000 }).toBe('Scored 1 of 2 rows of new.csv; 1 could not be scored (listed below).');
    expect(await page.getByTestId('failed-rows').textContent()).toBe('row 2, column "Age": expected a number, got "abc"');
    expect(await page.getByTestId('predict-preview').locator('tbody tr').count()).toBe(2);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-predictions').click()]);
    const lines = fs.readFileSync((await download.path())!, 'utf8').split('\r\n');
    expect(lines[0]).toBe('Pclass,Sex,Age,SibSp,Parch,Fare,Cabin,Embarked,Note,prediction,proba_0,proba_1');
    expect(lines[1]).toMatch(/^3,male,22,1,0,7\.25,,S,"'=HYPERLINK\(""x""\)",[01],0\.\d+,0\.\d+$/);
    expect(lines[2]).toBe('1,female,abc,1,0,71.28,C85,C,ok,,,');
  });

  it('refuses a tampered or foreign bundle with an alert, and loads a good one with its card', async () => {
    await page.getByTestId('bundle-input').setInputFiles(path.join(dir, 'tampered.zip'));
    const alert = page.getByTestId('bundle-error');
    await expect.poll(() => alert.textContent(), { timeout: 30_000 }).toMatch(/^tampered\.zip cannot be used: .* does not match the SHA-256 recorded in model\.json/);
    expect(await alert.getAttribute('role')).toBe('alert');
    await page.getByTestId('bundle-input').setInputFiles(path.join(dir, 'not-a-bundle.zip'));
    await expect.poll(() => alert.textContent()).toMatch(/not a Sieve model bundle: it is not a readable \.zip archive/);

    await page.getByTestId('bundle-input').setInputFiles(path.join(dir, 'good.zip'));
    await expect.poll(() => page.getByTestId('bundle-facts').textContent(), { timeout: 30_000 }).toMatch(/^good\.zip: predicts Survived \(binary: 0, 1\) from 7 columns/);
    expect(await page.getByTestId('bundle-error').count()).toBe(0);
    expect(await page.frameLocator('[data-testid="bundle-card"]').locator('h1').textContent()).toBe('Model card: predicting Survived');
    await page.getByTestId('bundle-predict-input').setInputFiles(path.join(dir, 'new.csv'));
    await expect.poll(() => page.getByTestId('bundle-predict-summary').textContent(), { timeout: 30_000 }).toMatch(/^Scored 1 of 2 rows/);
    await page.getByTestId('use-as-champion').click();
    expect(await page.evaluate(() => (window as unknown as { champion?: string }).champion)).toBe('Survived');
    await screenshot(page, 'ship-components');
    expect(errors).toEqual([]);
  });
});
