/**
 * serve.mjs, started from an unzipped bundle as a child process on a free 127.0.0.1 port: every
 * route, the two request forms, and the 400 / 404 / 405 / 413 answers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameRows } from '../../../src/core/export/rows.ts';
import { exportAndImport, fit, type PredictModule } from './fixtures.ts';
import { request, startServer, type Served } from './server.ts';

let served: Served | undefined;
let cleanup: (() => void) | undefined;
let dir: string;
let mod: PredictModule;
let rows: Record<string, unknown>[];

beforeAll(async () => {
  const f = await fit('titanic', [{ family: 'gbdt', params: { max_iter: 30 }, weight: 1 }]);
  ({ dir, mod, cleanup } = await exportAndImport(f));
  rows = frameRows(f.data.frame, f.model.inputColumns, f.testRows.subarray(0, 20));
  served = await startServer(dir);
}, 60_000);

afterAll(async () => {
  await served?.stop();
  cleanup?.();
});

describe('serve.mjs', () => {
  it('answers /health and /schema', async () => {
    const health = await request(served!.port, 'GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', target: 'Survived', task: 'binary', classes: ['0', '1'] });
    const schema = await request(served!.port, 'GET', '/schema');
    expect(schema.status).toBe(200);
    expect(schema.body).toEqual(JSON.parse(fs.readFileSync(path.join(dir, 'schema.json'), 'utf8')));
  });

  it('predicts {"rows": [...]} and a bare array, as predict.mjs does', async () => {
    const expected = (await mod.loadModel()).predict(rows);
    const wrapped = await request(served!.port, 'POST', '/predict', JSON.stringify({ rows }));
    expect(wrapped.status).toBe(200);
    expect(wrapped.body).toEqual({ predictions: expected });
    const bare = await request(served!.port, 'POST', '/predict', JSON.stringify(rows.slice(0, 3)));
    expect(bare.body).toEqual({ predictions: expected.slice(0, 3) });
  });

  it('gives 400 with the reason for invalid JSON, a wrong shape and rows that do not fit', async () => {
    const bad = await request(served!.port, 'POST', '/predict', '{"rows": [');
    expect(bad.status).toBe(400);
    expect((bad.body as { error: string }).error).toMatch(/^invalid JSON: /);
    const shape = await request(served!.port, 'POST', '/predict', JSON.stringify({ data: [] }));
    expect(shape.status).toBe(400);
    expect((shape.body as { error: string }).error).toMatch(/expected \{"rows": \[\.\.\.\]\} or an array of rows/);
    const invalid = await request(served!.port, 'POST', '/predict', JSON.stringify({ rows: [rows[0], { ...rows[1], Age: 'abc' }] }));
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({
      error: "1 of 2 rows do not fit the model's input schema (GET /schema)",
      errors: [{ row: 2, column: 'Age', message: 'row 2, column "Age": expected a number, got "abc"' }],
    });
  });

  it('refuses a body over 10 MB with 413, whether announced or streamed', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 100, 0x20);
    const announced = await request(served!.port, 'POST', '/predict', big);
    expect(announced.status).toBe(413);
    expect((announced.body as { error: string }).error).toMatch(/request body too large/);
    const streamed = await request(served!.port, 'POST', '/predict', big, { 'transfer-encoding': 'chunked' });
    expect(streamed.status).toBe(413);
    // The server is still up.
    expect((await request(served!.port, 'GET', '/health')).status).toBe(200);
  });

  it('answers unknown routes with 404 and wrong methods with 405', async () => {
    expect((await request(served!.port, 'GET', '/nope')).status).toBe(404);
    expect((await request(served!.port, 'GET', '/predict')).status).toBe(405);
    expect((await request(served!.port, 'DELETE', '/health')).status).toBe(405);
  });
});
