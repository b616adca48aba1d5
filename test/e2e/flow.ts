/**
 * Steps of the Data → Goal → Search → Compare flow shared by the run tests: drop a CSV, set the goal,
 * start, wait for the leaderboard and the results; plus a recorder of every request the page makes.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { datasetPath } from '../helpers/datasets.ts';

/** Drops a file on the drop zone exactly as the browser fires a drag-and-drop. */
export async function dropCsv(page: Page, fileName: string, content: string): Promise<void> {
  await page.getByTestId('drop-zone').waitFor();
  await page.evaluate(
    ({ name, text }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], name, { type: 'text/csv' }));
      const zone = document.querySelector('[data-testid="drop-zone"]');
      zone?.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    },
    { name: fileName, text: content },
  );
}

/**
 * Waits until the Data step shows the profile of `fileName`. Waiting for the "next step" button alone
 * is not enough: after a first dataset it is already on screen while the new file is still being read.
 */
export async function waitForDataset(page: Page, fileName: string, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    (name) =>
      document.querySelector('[data-testid="dataset-summary"] .file')?.textContent?.trim() === name &&
      document.querySelector('[data-testid="to-goal"]') !== null,
    fileName,
    { timeout },
  );
}

/** Drops a shared dataset (by manifest name) and waits until its profile is shown. */
export async function dropDataset(page: Page, name: string): Promise<void> {
  const file = datasetPath(name);
  await dropCsv(page, path.basename(file), fs.readFileSync(file, 'utf8'));
  await waitForDataset(page, path.basename(file));
}

export interface GoalSettings {
  target: string;
  budget?: number;
  task?: string;
  metric?: string;
}

/** From a loaded dataset: to the Goal step, choose the target (and budget), and check Start is enabled. */
export async function setGoal(page: Page, goal: GoalSettings): Promise<void> {
  await page.getByTestId('to-goal').click();
  await page.getByTestId('target-select').selectOption(goal.target);
  if (goal.task) await page.getByTestId('task-select').selectOption(goal.task);
  if (goal.metric) await page.getByTestId('metric-select').selectOption(goal.metric);
  if (goal.budget !== undefined) await page.getByTestId('budget-input').fill(String(goal.budget));
  await page.waitForFunction(() => !(document.querySelector('[data-testid="start-run"]') as HTMLButtonElement | null)?.disabled);
}

/** Waits until the search has finished (the "See the results" call to action appears). */
export async function waitForRunDone(page: Page, timeoutMs = 120_000): Promise<void> {
  await page.getByTestId('run-done').waitFor({ timeout: timeoutMs });
}

export async function leaderboardRows(page: Page): Promise<number> {
  return page.getByTestId('leaderboard-row').count();
}

/** CV scores of the rows with a score, top to bottom. */
export async function leaderboardScores(page: Page): Promise<number[]> {
  return page.$$eval('[data-testid="leaderboard-row"][data-status="ok"] td.score', (cells) =>
    cells.map((c) => Number.parseFloat((c.textContent ?? '').replace(/±.*/, '').replace(/,/g, ''))),
  );
}

/** Every URL any page, worker or service worker of the context requests, from now on. */
export function recordRequests(context: BrowserContext): string[] {
  const urls: string[] = [];
  context.on('request', (request) => urls.push(request.url()));
  return urls;
}

/** The requests that left the origin of `base` (blob: and data: URLs are the page's own). */
export function foreignRequests(urls: readonly string[], base: string): string[] {
  const origin = new URL(base).origin;
  return urls.filter((u) => !u.startsWith('blob:') && !u.startsWith('data:') && new URL(u).origin !== origin);
}

/**
 * Installs, before the page's scripts run, a recorder of the page's responsiveness: the longest
 * main-thread task (PerformanceObserver 'longtask') and the longest gap between 50 ms timer ticks.
 */
export async function watchMainThread(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as { __sieveLongest: number; __sieveLag: number; __sieveLongTasks: number[] };
    w.__sieveLongest = 0;
    w.__sieveLag = 0;
    w.__sieveLongTasks = [];
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          w.__sieveLongTasks.push(e.duration);
          w.__sieveLongest = Math.max(w.__sieveLongest, e.duration);
        }
      }).observe({ type: 'longtask', buffered: true });
    } catch {
      // no longtask support: the timer lag below still measures
    }
    let last = performance.now();
    setInterval(() => {
      const now = performance.now();
      w.__sieveLag = Math.max(w.__sieveLag, now - last - 50);
      last = now;
    }, 50);
  });
}

/** Resets the responsiveness counters (e.g. just before Start). */
export async function resetMainThreadWatch(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __sieveLongest: number; __sieveLag: number; __sieveLongTasks: number[] };
    w.__sieveLongest = 0;
    w.__sieveLag = 0;
    w.__sieveLongTasks = [];
  });
}

export async function mainThreadFigures(page: Page): Promise<{ longestTaskMs: number; maxTimerLagMs: number; longTasks: number }> {
  return page.evaluate(() => {
    const w = window as unknown as { __sieveLongest: number; __sieveLag: number; __sieveLongTasks: number[] };
    return { longestTaskMs: w.__sieveLongest, maxTimerLagMs: w.__sieveLag, longTasks: w.__sieveLongTasks.length };
  });
}

/**
 * Waits until the page's IndexedDB ('sieve') holds an experiment record for which `check` is true —
 * what a reload will find — instead of waiting a fixed time for batched saves. Polled from here:
 * page.waitForFunction does not await a predicate that returns a promise.
 */
export async function waitForSavedExperiment(
  page: Page,
  check: { minLeaderboard?: number; status?: string; withResults?: boolean },
  timeout = 30_000,
): Promise<void> {
  await expect
    .poll(
      () =>
        page.evaluate(async ({ minLeaderboard, status, withResults }) => {
          const db = await new Promise<IDBDatabase>((resolve, reject) => {
            const open = indexedDB.open('sieve');
            open.onsuccess = () => resolve(open.result);
            open.onerror = () => reject(open.error);
          });
          try {
            const read = <T>(store: string): Promise<T[]> =>
              new Promise((resolve, reject) => {
                const request = db.transaction(store, 'readonly').objectStore(store).getAll();
                request.onsuccess = () => resolve(request.result as T[]);
                request.onerror = () => reject(request.error);
              });
            const experiments = await read<{ id: string; status: string; leaderboard: unknown[] }>('experiments');
            const results = withResults ? await read<{ experimentId: string }>('results') : [];
            return experiments.some(
              (e) =>
                e.leaderboard.length >= (minLeaderboard ?? 0) &&
                (status === undefined || e.status === status) &&
                (!withResults || results.some((r) => r.experimentId === e.id)),
            );
          } finally {
            db.close();
          }
        }, check),
      { timeout, interval: 200 },
    )
    .toBe(true);
}
