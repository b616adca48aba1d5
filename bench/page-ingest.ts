/**
 * Page ingest speed in headless Chromium against a production build (not built here: `npx vite build`
 * first). `npx tsx bench/page-ingest.ts [--dist DIR] [--repeat 3] FILE...`
 *
 * For each file, `--repeat` times in a fresh page: the time inside the page from the file input's
 * change event to the profile table in the DOM (the ingest worker reads, types and profiles the file;
 * the page receives the Frame and renders the Data step), as MB/s of the file's size; the median is
 * printed. Also what the page sees of the device (navigator.deviceMemory, performance.memory) and
 * whether it read a sample. `--dist` serves another build (e.g. an older commit's) for a comparison.
 */
import { startPreview } from './preview.ts';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/helpers/chromium.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const dist = path.resolve(opt('dist') ?? path.join(repoRoot, 'dist'));
const repeat = Number(opt('repeat') ?? 3);
const files = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));

const PROBE = `
  window.__ingest = { changeAt: null, doneAt: null };
  document.addEventListener('change', (e) => {
    if (e.target instanceof HTMLInputElement && e.target.type === 'file') window.__ingest.changeAt = performance.now();
  }, true);
  new MutationObserver(() => {
    const b = window.__ingest;
    if (b.changeAt !== null && b.doneAt === null && document.querySelector('[data-testid="profile-table"]')) b.doneAt = performance.now();
  }).observe(document, { subtree: true, childList: true });
`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const { url, child } = await startPreview(repoRoot, dist);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    for (const file of files) {
      const mb = fs.statSync(file).size / 1e6;
      const seconds: number[] = [];
      let device = '';
      let sample = '';
      for (let i = 0; i < repeat; i++) {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.addInitScript(PROBE);
        await page.goto(url);
        await page.getByTestId('csv-input').waitFor();
        device = await page.evaluate(() => {
          const m = (performance as unknown as { memory?: { jsHeapSizeLimit: number } }).memory;
          return `deviceMemory ${(navigator as unknown as { deviceMemory?: number }).deviceMemory ?? 'n/a'} GB, jsHeapSizeLimit ${m ? (m.jsHeapSizeLimit / 1e9).toFixed(2) + ' GB' : 'n/a'}`;
        });
        await page.getByTestId('csv-input').setInputFiles(file);
        await page.waitForFunction(() => (window as unknown as { __ingest: { doneAt: number | null } }).__ingest.doneAt !== null, undefined, {
          timeout: 600_000,
          polling: 100,
        });
        const ms = await page.evaluate(() => {
          const b = (window as unknown as { __ingest: { changeAt: number; doneAt: number } }).__ingest;
          return b.doneAt - b.changeAt;
        });
        sample = (await page.getByTestId('sample-notice').count()) ? ' (read as a sample)' : '';
        seconds.push(ms / 1000);
        process.stderr.write(`${path.basename(file)} run ${i + 1}: ${(ms / 1000).toFixed(2)} s, ${(mb / (ms / 1000)).toFixed(1)} MB/s\n`);
        await context.close();
      }
      const s = median(seconds);
      console.log(
        `| ${path.basename(file)} | ${mb.toFixed(1)} | ${seconds.map((x) => x.toFixed(2)).join(', ')} | ${s.toFixed(2)} | ${(mb / s).toFixed(1)} |${sample} ${device}`,
      );
    }
  } finally {
    await browser.close();
    child.kill();
  }
}

await main();
