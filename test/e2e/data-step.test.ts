/** The Data step in the production build: upload, samples, and errors that keep the previous dataset. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { datasetPath } from '../helpers/datasets.ts';
import { launchBrowser, openPage, screenshot } from './browser.ts';

function profileRow(page: Page, column: string) {
  return page.getByTestId('profile-row').filter({ has: page.locator('th .name', { hasText: new RegExp(`^${column}$`) }) });
}

async function waitForRows(page: Page, count: number): Promise<void> {
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="profile-row"]').length === n, count, { timeout: 60_000 });
}

describe('Data step', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('profiles a CSV chosen with the file picker', async () => {
    const { context, page, errors } = await openPage(browser);
    try {
      await page.getByTestId('drop-zone').waitFor();
      expect(await page.title()).toContain('Sieve');
      // Only Data is usable before a dataset is loaded; the later steps exist but are disabled.
      expect(await page.getByTestId('step-data').isEnabled()).toBe(true);
      for (const id of ['goal', 'search', 'compare', 'ship']) {
        expect(await page.getByTestId(`step-${id}`).isDisabled()).toBe(true);
      }
      // The file picker is reachable with Tab (skip link, the Data step, then the picker) and labelled.
      let presses = 0;
      while (presses < 6 && (await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) !== 'csv-input') {
        await page.keyboard.press('Tab');
        presses++;
      }
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('csv-input');
      expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).labels?.[0]?.textContent ?? '')).toContain('choose a file');
      await screenshot(page, 'data-01-empty');

      await page.getByTestId('csv-input').setInputFiles(datasetPath('titanic'));
      await page.getByTestId('profile-table').waitFor({ timeout: 60_000 });
      await waitForRows(page, 12);
      await expect.poll(() => page.getByTestId('dataset-summary').textContent(), { timeout: 30_000 }).toContain('titanic.csv');
      const shape = (await page.getByTestId('dataset-shape').textContent()) ?? '';
      expect(shape.replace(/\s+/g, ' ')).toContain('891 rows × 12 columns');

      // Real figures from the file (see shared/datasets/README.md): Age has 177 empty cells, Cabin 687.
      const age = profileRow(page, 'Age');
      expect(await age.getAttribute('data-column-type')).toBe('numeric');
      expect(await age.locator('td').nth(1).textContent()).toContain('177');
      expect(await age.locator('svg.histogram rect').count()).toBeGreaterThan(3);
      expect(await profileRow(page, 'Cabin').locator('td').nth(1).textContent()).toContain('687');
      expect(await profileRow(page, 'Sex').locator('.levels').textContent()).toMatch(/male/);

      await screenshot(page, 'data-02-titanic-uploaded');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('loads a bundled sample with one click', async () => {
    const { context, page, errors } = await openPage(browser);
    try {
      const titanic = page.getByTestId('sample-titanic');
      expect(await titanic.textContent()).toMatch(/Titanic\s*\(891 rows, binary\)/);
      await titanic.click();
      await waitForRows(page, 12);
      await expect.poll(() => page.getByTestId('dataset-summary').textContent(), { timeout: 30_000 }).toContain('titanic.csv');
      await screenshot(page, 'data-03-sample-titanic');

      // The second sample, this time from the keyboard, replaces the first.
      await page.getByTestId('sample-insurance').focus();
      await page.keyboard.press('Enter');
      await waitForRows(page, 7);
      await expect.poll(() => page.getByTestId('dataset-summary').textContent(), { timeout: 30_000 }).toContain('insurance.csv');
      expect(await profileRow(page, 'smoker').getAttribute('data-column-type')).not.toBe('numeric');
      await screenshot(page, 'data-04-sample-insurance');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('loads a file dropped on the drop zone, and cancels a load in progress', async () => {
    const { context, page, errors } = await openPage(browser);
    try {
      // A real drop event carrying a File, as the browser fires it when a file is dragged in.
      await page.evaluate(() => {
        const transfer = new DataTransfer();
        transfer.items.add(new File(['city,temp,rain\nOslo,4.5,yes\nRome,15.25,no\nLima,19,no\n'], 'dropped.csv', { type: 'text/csv' }));
        const zone = document.querySelector('[data-testid="drop-zone"]');
        zone?.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      });
      await waitForRows(page, 3);
      await expect.poll(() => page.getByTestId('dataset-summary').textContent(), { timeout: 30_000 }).toContain('dropped.csv');
      expect(await profileRow(page, 'temp').getAttribute('data-column-type')).toBe('numeric');

      // A large generated file (about 60 MB) takes long enough to parse that Cancel can stop it.
      await page.evaluate(() => {
        const rows: string[] = ['id,amount,group,flag'];
        for (let i = 0; i < 25_000; i++) rows.push(`${i},${(i * 7.31) % 1000},g${i % 17},${i % 2 === 0 ? 'yes' : 'no'}`);
        const block = rows.join('\n') + '\n';
        const big = new File(
          Array.from({ length: 90 }, () => block),
          'big.csv',
          { type: 'text/csv' },
        );
        const transfer = new DataTransfer();
        transfer.items.add(big);
        document.querySelector('[data-testid="drop-zone"]')?.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      });
      const progress = page.getByTestId('load-progress');
      await progress.waitFor({ timeout: 10_000 });
      expect(await progress.textContent()).toContain('big.csv');
      await screenshot(page, 'data-08-loading');
      await progress.getByRole('button', { name: 'Cancel' }).click();
      await progress.waitFor({ state: 'detached', timeout: 5_000 });
      // Cancelled: no error, and the dataset from before is still the one in use.
      expect(await page.getByTestId('error-message').count()).toBe(0);
      expect(await page.getByTestId('dataset-summary').textContent()).toContain('dropped.csv');
      expect(await page.getByTestId('profile-row').count()).toBe(3);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('profiles a big file (≥ 32 MB) with a second worker, to the same figures', async () => {
    const { context, page, errors } = await openPage(browser);
    try {
      const workers: string[] = [];
      page.on('worker', (w) => workers.push(w.url()));
      // 60 copies of a 25,000-row block: 1,500,000 rows, about 38 MB, every row after the first block a duplicate.
      await page.evaluate(() => {
        const rows: string[] = ['id,amount,group,flag'];
        for (let i = 0; i < 25_000; i++) rows.push(`${i},${(i * 7.31) % 1000},g${i % 17},${i % 2 === 0 ? 'yes' : 'no'}`);
        const block = rows.slice(1).join('\n') + '\n';
        const big = new File([rows[0] + '\n', ...Array.from({ length: 60 }, () => block)], 'big.csv', { type: 'text/csv' });
        const transfer = new DataTransfer();
        transfer.items.add(big);
        document.querySelector('[data-testid="drop-zone"]')?.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      });
      await expect
        .poll(async () => ((await page.getByTestId('dataset-shape').textContent()) ?? '').replace(/\s+/g, ' '), { timeout: 90_000 })
        .toContain('1,500,000 rows × 4 columns');
      expect(workers.some((u) => /column-profiler/.test(u))).toBe(true);
      const id = ((await profileRow(page, 'id').textContent()) ?? '').replace(/\s+/g, ' ');
      expect(id).toContain('25,000'); // distinct: profiled in one of the two workers, merged in column order
      expect(await profileRow(page, 'amount').getAttribute('data-column-type')).toBe('numeric');
      expect(await page.getByTestId('dataset-summary').textContent()).toContain('1,475,000 duplicated rows');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('lists what the reader changed, the warnings, and shows names as plain text', async () => {
    const { context, page, errors } = await openPage(browser);
    try {
      // A repeated and a blank header, two ragged rows, a duplicated row, and markup in a name and a value.
      const csv = '<b>bold</b>,a,a,,b\n<i>x</i>,1,2,3,4\ny,5,6,7\nz,8,9,10,11,12\ny,5,6,7,\n';
      await page.getByTestId('csv-input').setInputFiles({ name: 'messy.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await waitForRows(page, 5);
      const notes = page.getByTestId('ingest-note');
      const kinds = await notes.evaluateAll((els) => els.map((el) => el.getAttribute('data-kind')));
      expect(kinds).toEqual(expect.arrayContaining(['duplicate-header', 'blank-header', 'ragged-rows']));
      expect(await page.getByTestId('ingest-notes').textContent()).toContain('a_2');
      expect(await page.getByTestId('warning-list').locator('[data-kind="duplicate-rows"]').count()).toBe(1);
      // Text, never markup: the names and levels appear as written and create no elements.
      const table = page.getByTestId('profile-table');
      expect(await table.textContent()).toContain('<b>bold</b>');
      expect(await table.locator('b, i').count()).toBe(0);
      await screenshot(page, 'data-09-notes-and-warnings');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('reports a bad file in an alert and keeps the dataset loaded before', async () => {
    const { context, page, errors } = await openPage(browser);
    try {
      await page.getByTestId('sample-titanic').click();
      await waitForRows(page, 12);

      const input = page.getByTestId('csv-input');
      await input.setInputFiles({ name: 'empty.csv', mimeType: 'text/csv', buffer: Buffer.alloc(0) });
      const alert = page.getByTestId('error-message');
      await alert.waitFor({ timeout: 30_000 });
      expect(await alert.getAttribute('role')).toBe('alert');
      expect(await alert.textContent()).toContain('empty.csv');
      // The engine recognised the problem (not an unexpected failure in the page).
      expect(await alert.getAttribute('data-kind')).not.toBe('internal');
      expect(await page.getByTestId('profile-row').count()).toBe(12);
      expect(await page.getByTestId('dataset-summary').textContent()).toContain('titanic.csv');
      await screenshot(page, 'data-05-error-empty');

      // A binary file (a PNG header and NUL bytes) named .csv.
      const binary = Buffer.alloc(4096);
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]).copy(binary);
      for (let i = 16; i < binary.length; i++) binary[i] = (i * 131) % 256;
      await input.setInputFiles({ name: 'picture.csv', mimeType: 'text/csv', buffer: binary });
      await page.waitForFunction(() => document.querySelector('[data-testid="error-message"]')?.textContent?.includes('picture.csv'), null, {
        timeout: 30_000,
      });
      const binaryAlert = page.getByTestId('error-message');
      expect(await binaryAlert.getAttribute('role')).toBe('alert');
      expect(await binaryAlert.getAttribute('data-kind')).not.toBe('internal');
      expect(await page.getByTestId('profile-row').count()).toBe(12);
      expect(await page.getByTestId('dataset-summary').textContent()).toContain('titanic.csv');
      await screenshot(page, 'data-06-error-binary');

      // A quote that never closes: the engine names the line and the column, and the page shows them.
      const broken = 'a,b,c\n1,2,3\n4,"five,6\n7,8,9\n10,11,12\n';
      await input.setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from(broken) });
      await page.waitForFunction(() => document.querySelector('[data-testid="error-message"]')?.textContent?.includes('broken.csv'), null, {
        timeout: 30_000,
      });
      const quoteAlert = (await page.getByTestId('error-message').textContent()) ?? '';
      expect(await page.getByTestId('error-message').getAttribute('data-kind')).toBe('unterminated-quote');
      expect(quoteAlert).toMatch(/line 3/i);
      expect(quoteAlert).toContain('"b"');
      expect(await page.getByTestId('profile-row').count()).toBe(12);
      await screenshot(page, 'data-07-error-quote');

      // A good file afterwards clears the message.
      await page.getByTestId('sample-insurance').click();
      await waitForRows(page, 7);
      await expect.poll(() => page.getByTestId('error-message').count(), { timeout: 30_000 }).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
