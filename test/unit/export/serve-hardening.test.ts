/**
 * serve.mjs against hostile requests (issue #12), each a regression test of a defect: 10,000 empty
 * rows once made an 8.7 MB reply and 2 MB of them ended the process; a text/plain POST, a foreign
 * Origin and a foreign Host (DNS rebinding) were served; requests in flight were not bounded. Also
 * the error paths of the worker that scores: a prediction that throws, a worker that dies, one that
 * hangs; the server answers in JSON and keeps running, and /health keeps answering meanwhile.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameRows } from '../../../src/core/export/rows.ts';
import { exportAndImport, fit, tempDir } from './fixtures.ts';
import { probeHealth, rawRequest, startServer, type RawReply, type Served } from './server.ts';

let served: Served | undefined;
let cleanup: (() => void) | undefined;
let dir: string;
let rows: Record<string, unknown>[];
let columns: number;

const JSON_TYPE = { 'content-type': 'application/json' };
const parsed = (r: RawReply): { error?: string; errors?: { message: string }[]; problems?: number; predictions?: unknown[] } => JSON.parse(r.text);

beforeAll(async () => {
  const f = await fit('titanic', [{ family: 'gbdt', params: { max_iter: 30 }, weight: 1 }]);
  ({ dir, cleanup } = await exportAndImport(f));
  rows = frameRows(f.data.frame, f.model.inputColumns, f.testRows.subarray(0, 5));
  columns = f.model.inputColumns.length;
  served = await startServer(dir);
}, 60_000);

afterAll(async () => {
  await served?.stop();
  cleanup?.();
});

const post = (body: string, headers: Record<string, string | null> = JSON_TYPE) => rawRequest(served!.port, 'POST', '/predict', body, headers);

describe('bounded 400 replies', () => {
  it('10,000 empty rows (30 KB) get a short 400: the first problems listed, all counted', async () => {
    const body = `[${Array(10_000).fill('{}').join(',')}]`;
    const reply = await post(body);
    expect(reply.status).toBe(400);
    expect(reply.bytes).toBeLessThan(20 * 1024);
    const b = parsed(reply);
    expect(b.problems).toBe(10_000 * columns);
    expect(b.errors!.length).toBeGreaterThan(0);
    expect(b.errors!.length).toBeLessThanOrEqual(100);
    expect(b.error).toBe(
      `10000 of 10000 rows do not fit the model's input schema (GET /schema); the first ${b.errors!.length} of ${10_000 * columns} problems are listed`,
    );
  });

  it('2 MB and 9.9 MB of empty rows get the same short 400, and the server stays up', async () => {
    for (const n of [700_000, 3_300_000]) {
      const reply = await post(`[${Array(n).fill('{}').join(',')}]`);
      expect(reply.status).toBe(400);
      expect(reply.bytes).toBeLessThan(20 * 1024);
      expect(parsed(reply).problems).toBe(n * columns);
    }
    expect((await rawRequest(served!.port, 'GET', '/health')).status).toBe(200);
    expect(served!.child.exitCode).toBeNull();
  }, 60_000);

  it('quotes at most 60 characters of a cell, a path or a header', async () => {
    const cell = await post(JSON.stringify([{ ...rows[0], Age: `${'1'.repeat(1_000_000)}x` }]));
    expect(cell.status).toBe(400);
    expect(parsed(cell).errors![0].message).toBe(`row 1, column "Age": expected a number, got "${'1'.repeat(57)}..."`);
    expect(cell.bytes).toBeLessThan(400);
    const route = await rawRequest(served!.port, 'GET', `/${'p'.repeat(8000)}`);
    expect(route.status).toBe(404);
    expect(route.bytes).toBeLessThan(200);
    const type = await post('[]', { 'content-type': `text/${'t'.repeat(5000)}` });
    expect(type.status).toBe(415);
    expect(type.bytes).toBeLessThan(250);
    const invalid = await post(`{"rows": ${'x'.repeat(100_000)}`);
    expect(invalid.status).toBe(400);
    expect(parsed(invalid).error).toMatch(/^invalid JSON: /);
    expect(invalid.bytes).toBeLessThan(300);
  });
});

describe('cross-site requests', () => {
  it('POST /predict needs Content-Type: application/json (415 otherwise)', async () => {
    const body = JSON.stringify({ rows });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx']) {
      const reply = await post(body, { 'content-type': type });
      expect(reply.status, type).toBe(415);
      expect(parsed(reply).error).toMatch(/Content-Type: application\/json/);
    }
    expect((await post(body, {})).status).toBe(415);
    for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON']) {
      expect((await post(body, { 'content-type': type })).status, type).toBe(200);
    }
  });

  it('refuses a foreign Origin with 403 and accepts its own', async () => {
    const port = served!.port;
    const body = JSON.stringify({ rows });
    for (const origin of [
      'http://evil.example',
      'null',
      `http://127.0.0.1:${port + 1}`,
      `https://127.0.0.1:${port}`,
      `http://127.0.0.1.evil.example:${port}`,
    ]) {
      const reply = await post(body, { ...JSON_TYPE, origin });
      expect(reply.status, origin).toBe(403);
      expect(parsed(reply).error).toMatch(/requests from other web pages/);
    }
    expect((await rawRequest(port, 'GET', '/health', undefined, { origin: 'http://evil.example' })).status).toBe(403);
    for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`]) {
      expect((await post(body, { ...JSON_TYPE, origin })).status, origin).toBe(200);
    }
  });

  it('refuses a foreign Host with 421 (DNS rebinding) and accepts the loopback names', async () => {
    const port = served!.port;
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1', `127.0.0.1:${port}.evil.example`]) {
      const reply = await rawRequest(port, 'GET', '/health', undefined, { host });
      expect(reply.status, String(host)).toBe(421);
      expect(parsed(reply).error).toMatch(/--host NAME/);
    }
    expect((await post(JSON.stringify(rows), { ...JSON_TYPE, host: 'evil.example' })).status).toBe(421);
    // No Host header at all: Node's HTTP/1.1 parser refuses it before serve.mjs sees it.
    expect((await rawRequest(port, 'GET', '/health', undefined, { host: null })).status).toBe(400);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      expect((await rawRequest(port, 'GET', '/health', undefined, { host })).status, host).toBe(200);
    }
  });

  it('answers 503 with Retry-After beyond 8 requests in flight, and /health meanwhile', async () => {
    const port = served!.port;
    // Eight requests that announce a body and send only part of it stay in flight.
    const open = Array.from({ length: 8 }, () => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/predict', headers: { ...JSON_TYPE, 'content-length': '1000' } });
      req.on('error', () => {});
      req.write('[');
      return req;
    });
    await new Promise((r) => setTimeout(r, 300));
    const busy = await post(JSON.stringify(rows));
    expect(busy.status).toBe(503);
    expect(busy.headers['retry-after']).toBe('1');
    expect((await rawRequest(port, 'GET', '/health')).status).toBe(200);
    for (const req of open) req.destroy();
    await new Promise((r) => setTimeout(r, 300));
    expect((await post(JSON.stringify(rows))).status).toBe(200);
  });
});

describe('--host NAME', () => {
  it('accepts that name (any port) and pages from it, and still refuses others', async () => {
    const second = await startServer(dir, ['--host', 'Model.Example.com']);
    try {
      const port = second.port;
      const body = JSON.stringify(rows);
      for (const host of ['model.example.com', 'model.example.com:443', `localhost:${port}`]) {
        expect((await rawRequest(port, 'POST', '/predict', body, { ...JSON_TYPE, host })).status, host).toBe(200);
      }
      expect((await rawRequest(port, 'POST', '/predict', body, { ...JSON_TYPE, host: 'model.example.com', origin: 'https://model.example.com' })).status).toBe(
        200,
      );
      expect((await rawRequest(port, 'POST', '/predict', body, { ...JSON_TYPE, host: 'model.example.com', origin: 'https://evil.example' })).status).toBe(403);
      expect((await rawRequest(port, 'GET', '/health', undefined, { host: 'evil.example' })).status).toBe(421);
      expect((await rawRequest(port, 'GET', '/health', undefined, { host: 'model.example.com.evil.example' })).status).toBe(421);
    } finally {
      await second.stop();
    }
  });
});

describe('errors while scoring', () => {
  // The bundle's predict.mjs wrapped so that a row can make predict() throw, the worker exit or hang.
  const WRAPPER = `import * as real from './predict-real.mjs';
export const InputError = real.InputError;
export async function loadModel(source) {
  const m = await real.loadModel(source);
  return {
    target: m.target, task: m.task, classes: m.classes, created: m.created, sha256: m.sha256, schema: m.schema,
    predict(rows) {
      const how = rows[0] && rows[0].boom;
      if (how === 'throw') throw new TypeError('boom ' + 'z'.repeat(5000));
      if (how === 'exit') process.exit(3);
      if (how === 'hang') for (;;);
      return m.predict(rows);
    },
  };
}
`;

  it('answers 500 with a JSON message, restarts a worker that died or hung, and never exits', async () => {
    const { dir: wrapped, cleanup: remove } = tempDir();
    for (const name of fs.readdirSync(dir)) fs.copyFileSync(path.join(dir, name), path.join(wrapped, name));
    fs.renameSync(path.join(wrapped, 'predict.mjs'), path.join(wrapped, 'predict-real.mjs'));
    fs.writeFileSync(path.join(wrapped, 'predict.mjs'), WRAPPER);
    const server = await startServer(wrapped, ['--timeout', '1']);
    const port = server.port;
    const send = (boom?: string) => rawRequest(port, 'POST', '/predict', JSON.stringify([{ ...rows[0], boom }, rows[1]]), JSON_TYPE);
    /** Retries while the worker restarts (503), at most 15 s. */
    const settled = async (): Promise<RawReply> => {
      for (let i = 0; ; i++) {
        const r = await send();
        if (r.status !== 503 || i > 150) return r;
        await new Promise((res) => setTimeout(res, 100));
      }
    };
    try {
      expect((await send()).status).toBe(200);
      const thrown = await send('throw');
      expect(thrown.status).toBe(500);
      expect(parsed(thrown).error).toMatch(/^prediction failed: boom z+\.\.\.$/);
      expect(thrown.bytes).toBeLessThan(300);
      expect((await send()).status).toBe(200);

      const exited = await send('exit');
      expect(exited.status).toBe(500);
      expect(parsed(exited).error).toMatch(/worker stopped/);
      expect((await settled()).status).toBe(200);

      const probe = probeHealth(port);
      const hung = await send('hang');
      const { latencies, failures } = await probe.stop();
      expect(hung.status).toBe(503);
      expect(parsed(hung).error).toMatch(/took longer than 1 s/);
      expect(failures).toEqual([]);
      expect(latencies.length).toBeGreaterThan(5);
      const sorted = [...latencies].sort((a, b) => a - b);
      expect(sorted[Math.floor(sorted.length * 0.9)]).toBeLessThan(100);
      expect(sorted.at(-1)).toBeLessThan(1000);
      expect((await settled()).status).toBe(200);
      expect(server.child.exitCode).toBeNull();
    } finally {
      await server.stop();
      remove();
    }
  }, 60_000);
});
