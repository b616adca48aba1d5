/**
 * serve.mjs and issue #15: predictions carry the conformal interval, and GET /drift reports the drift
 * check of the rows of the last --drift-window requests (a window that forgets old requests).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calibrateIntervals } from '../../../src/core/eval/conformal.ts';
import { buildDriftProfile } from '../../../src/core/drift/profile.ts';
import { shiftedRows } from '../../../src/core/drift/shifts.ts';
import { frameRows } from '../../../src/core/export/rows.ts';
import { exportAndImport, fit, type Fitted } from './fixtures.ts';
import { request, startServer, type Served } from './server.ts';

let served: Served | undefined;
let cleanup: (() => void) | undefined;
let f: Fitted;
let expected: unknown[];
let stable: Record<string, unknown>[];
let shifted: Record<string, unknown>[];

beforeAll(async () => {
  f = await fit('insurance', [{ family: 'gbdt', params: { max_iter: 40 }, weight: 1 }]);
  const inputs = f.model.inputColumns;
  // Calibrated on the held-out rows, profiled on the training rows (as the experiment does with its own rows).
  const test = await f.model.predictRows(f.data.frame, f.testRows);
  const y = f.data.frame.columns.find((c) => c.name === 'charges')!;
  const yTest = Float64Array.from(f.testRows, (r) => (y.storage === 'numeric' ? y.values[r] : NaN));
  f.model.trust = {
    conformal: calibrateIntervals(test.values, yTest, 0.9),
    drift: buildDriftProfile(f.data.frame, inputs, f.searchRows, { values: test.values }),
  };
  const built = await exportAndImport(f);
  cleanup = built.cleanup;
  stable = frameRows(f.data.frame, inputs, f.testRows.subarray(0, 150));
  shifted = frameRows(shiftedRows(f.data.frame, f.testRows.subarray(0, 150), { meanShift: ['bmi'], sd: 2 }), inputs);
  expected = (await built.mod.loadModel()).predict(stable);
  served = await startServer(built.dir, ['--drift-window', '2']);
}, 60_000);

afterAll(async () => {
  await served?.stop();
  cleanup?.();
});

interface DriftBody {
  window: number;
  requests: number;
  rows: number;
  level: string;
  columns: { name: string; verdict: string }[];
}

const drift = async () => (await request(served!.port, 'GET', '/drift')).body as DriftBody;
const post = (rows: unknown[]) => request(served!.port, 'POST', '/predict', JSON.stringify({ rows }));

describe('serve.mjs with intervals and GET /drift', () => {
  it('returns the intervals predict.mjs returns', async () => {
    const reply = await post(stable);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ predictions: expected });
    expect((expected[0] as { interval: number[] }).interval).toHaveLength(2);
  });

  it('reports drift over the last --drift-window requests', async () => {
    let d = await drift();
    expect(d).toMatchObject({ window: 2, requests: 1, rows: 150, level: 'stable' });
    await post(shifted);
    d = await drift();
    expect(d.rows).toBe(300);
    expect(d.columns.filter((c) => c.verdict !== 'stable').map((c) => c.name)).toEqual(['bmi']);
    await post(shifted);
    expect((await drift()).columns.find((c) => c.name === 'bmi')!.verdict).toBe('major');
    // Two stable requests push both shifted ones out of the window.
    await post(stable);
    await post(stable);
    d = await drift();
    expect(d).toMatchObject({ requests: 5, rows: 300, level: 'stable' });
    // A bad request (400) is not counted.
    expect((await post([{ age: 'old' }])).status).toBe(400);
    expect((await drift()).requests).toBe(5);
  });
});
