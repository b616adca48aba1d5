/**
 * Shared helpers for the end-to-end tests: launch Debian's Chromium through playwright-core
 * (never a downloaded browser), open a page that records its errors, and save screenshots to
 * test-artifacts/ (gitignored) for a person to look at.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ARTIFACTS_DIR = path.join(repoRoot, 'test-artifacts');

export { CHROMIUM_ARGS, CHROMIUM_PATH };

/** The preview server's URL, provided by global-setup.ts. */
export function baseUrl(): string {
  return inject('baseUrl');
}

/** `webgpu: false` leaves out --enable-unsafe-webgpu: requestAdapter() then returns null (a browser without WebGPU). */
export function launchBrowser(options: { webgpu?: boolean } = {}): Promise<Browser> {
  const args = options.webgpu === false ? CHROMIUM_ARGS.filter((a) => a !== '--enable-unsafe-webgpu') : CHROMIUM_ARGS;
  return chromium.launch({ executablePath: CHROMIUM_PATH, args });
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions and console errors (CSP violations land here too); tests assert it stays empty. */
  errors: string[];
}

export async function openPage(
  browser: Browser,
  viewport: { width: number; height: number } = { width: 1280, height: 800 },
  options: { path?: string; beforeLoad?: (context: BrowserContext) => Promise<void> } = {},
): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport });
  await options.beforeLoad?.(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // "Failed to load resource" names its URL only in the location.
    const where = msg.location().url;
    errors.push(`console: ${msg.text()}${where ? ` (${where})` : ''}`);
  });
  await page.goto(new URL(options.path ?? '', baseUrl()).href);
  return { context, page, errors };
}

/** Saves test-artifacts/<name>.png (the full page) and returns its path. */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? true });
  return file;
}

/** Widest layout overflow: how far the document is wider than the viewport (0 when it fits). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}
