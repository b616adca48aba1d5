/**
 * serve.mjs: the bundle's HTTP server, as text. Node >= 18, node:http and node:worker_threads only,
 * listening on 127.0.0.1.
 *
 * The request handling is defensive because anything on the machine, and any web page the user
 * opens, can reach 127.0.0.1: the Host and Origin headers are checked (DNS rebinding, cross-site
 * requests), a POST must say it is JSON, requests in flight are bounded, and every message quotes at
 * most 60 characters of what was sent. Scoring runs in a worker thread (the same file, started as a
 * worker), so a slow or failing request never stops /health or the server; a request answers 500 with
 * a JSON message on any unexpected error. test/unit/export/serve.test.ts and serve-hardening.test.ts
 * start it as a child process and check every route and refusal.
 *
 * This file holds the text's first part: the usage comment, the worker's side (parse, check, predict)
 * and the main thread's arguments and address rules; serve-template-http.ts holds the rest (the HTTP
 * server, its routes and the worker it drives). SERVE_MJS is the two joined.
 */
import { SERVE_MJS_HTTP } from './serve-template-http.ts';

export const SERVE_MJS =
  `#!/usr/bin/env node
// serve.mjs: an HTTP API for this Sieve model. Node >= 18, no dependencies.
//
//   node serve.mjs [--port 8080] [--host NAME] [--timeout 60] [--drift-window 100]
//
// POST /predict  {"rows": [{...}, ...]} or [{...}, ...], Content-Type: application/json
//                ->  {"predictions": [...]} (with interval or set when the model is calibrated)
// GET  /health   ->  {"status": "ok", "target", "task", "classes", "created", "sha256"}
// GET  /schema   ->  the JSON Schema of one input row (schema.json)
// GET  /drift    ->  the drift check of the rows of the last --drift-window requests (default 100)
//                    against the training profile: {window, requests, rows, level, verdict, columns,
//                    predictions} (counts restart when the server or its worker does)
//
// It listens on 127.0.0.1 only: put a reverse proxy with authentication in front of it to expose it.
// Invalid JSON and rows that do not fit the schema get 400 with the reason (the first 100 problems).
// What it refuses, so that web pages and other programs cannot misuse it:
//   421  a Host header other than 127.0.0.1:PORT, localhost:PORT or [::1]:PORT (a web page whose
//        name was pointed at 127.0.0.1, "DNS rebinding"); --host NAME also accepts NAME, with any
//        port, and pages from http(s)://NAME: the name clients use through a reverse proxy.
//   403  an Origin header other than the server's own (a request made by another site's page).
//   415  POST /predict without Content-Type: application/json (the only kind of POST a page of
//        another site could send without the browser asking first).
//   413  a body over 10 MB.
//   503  more than 8 POST /predict requests at a time (Retry-After says when to try again), or
//        scoring one request that took over --timeout seconds (default 60; the worker is restarted).
// Predictions are computed in a worker thread: /health keeps answering while rows are scored, and
// an error while scoring is a 500 with a JSON message; the server keeps running.
import http from 'node:http';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const MAX_IN_FLIGHT = 8;
// A 400 lists problems until their text passes this many bytes; the rest are counted.
const MAX_LISTED_BYTES = 16 * 1024;
const HOST = '127.0.0.1';

/** At most max characters of s (user data in a message), never splitting a surrogate pair. */
function clip(s, max = 60) {
  s = String(s);
  if (s.length <= max) return s;
  let end = max - 3;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return \`\${s.slice(0, end)}...\`;
}

// ---------------------------------------------------------------- the worker: parse, check, predict

async function worker() {
  const { loadModel, InputError } = await import('./predict.mjs');
  let model;
  try {
    model = await loadModel(new URL('./model.json', import.meta.url));
  } catch (err) {
    parentPort.postMessage({ type: 'failed', message: clip(err?.message ?? err, 400) });
    return;
  }
  const health = { status: 'ok', target: model.target, task: model.task, classes: model.classes, created: model.created, sha256: model.sha256 };
  const monitor = model.hasDriftProfile ? model.driftMonitor(workerData.driftWindow) : null;
  const drift = () => (monitor ? JSON.stringify({ window: workerData.driftWindow, requests: monitor.batches, ...monitor.report() }) : '');
  parentPort.postMessage({ type: 'ready', target: model.target, health: JSON.stringify(health), schema: JSON.stringify(model.schema), drift: drift() });
  const decoder = new TextDecoder();
  parentPort.on('message', ({ id, body }) => {
    parentPort.postMessage({ type: 'started', id });
    let status;
    let text;
    try {
      [status, text] = answer(model, InputError, decoder.decode(body), monitor);
    } catch (err) {
      [status, text] = [500, JSON.stringify({ error: \`prediction failed: \${clip(err?.message ?? err, 200)}\` })];
    }
    parentPort.postMessage({ type: 'reply', id, status, text, drift: status === 200 ? drift() : undefined });
  });
}

/** [status, JSON text] for one POST /predict body. */
function answer(model, InputError, text, monitor) {
  let body;
  try {
    body = JSON.parse(text);
  } catch (err) {
    return [400, JSON.stringify({ error: \`invalid JSON: \${clip(err.message, 200)}\` })];
  }
  const rows = Array.isArray(body) ? body : body && typeof body === 'object' && Array.isArray(body.rows) ? body.rows : null;
  if (!rows) return [400, JSON.stringify({ error: 'expected {"rows": [...]} or an array of rows (objects keyed by column name)' })];
  try {
    const predictions = model.predict(rows);
    monitor?.add(rows, predictions);
    return [200, JSON.stringify({ predictions })];
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const errors = [];
    let bytes = 0;
    for (const e of err.errors) {
      bytes += JSON.stringify(e).length + 1;
      if (bytes > MAX_LISTED_BYTES) break;
      errors.push(e);
    }
    const unlisted = err.problems - errors.length;
    const error =
      \`\${err.badRows} of \${rows.length} rows do not fit the model's input schema (GET /schema)\` +
      (unlisted > 0 ? \`; the first \${errors.length} of \${err.problems} problems are listed\` : '');
    return [400, JSON.stringify({ error, problems: err.problems, errors })];
  }
}

// ---------------------------------------------------------------- the main thread: HTTP

function parseArgs(argv) {
  const value = (flag) => {
    const i = argv.findIndex((a) => a === flag || a.startsWith(\`\${flag}=\`));
    if (i < 0) return undefined;
    return argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : (argv[i + 1] ?? '');
  };
  const rawPort = value('--port');
  const port = rawPort === undefined ? 8080 : Number(rawPort);
  if (rawPort === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(\`serve.mjs: --port must be a whole number from 0 to 65535, got \${JSON.stringify(clip(rawPort ?? ''))}\`);
    process.exit(2);
  }
  const names = [];
  argv.forEach((a, i) => {
    if (a !== '--host' && !a.startsWith('--host=')) return;
    const name = (a.includes('=') ? a.slice(a.indexOf('=') + 1) : (argv[i + 1] ?? '')).trim().toLowerCase();
    if (!name || name.startsWith('-') || /[\\s/?#@]/.test(name)) {
      console.error(\`serve.mjs: --host takes the host name clients use (e.g. --host model.example.com), got \${JSON.stringify(clip(name))}\`);
      process.exit(2);
    }
    names.push(name);
  });
  const rawTimeout = value('--timeout');
  const timeout = rawTimeout === undefined ? 60 : Number(rawTimeout);
  if (rawTimeout === '' || !(timeout > 0 && timeout <= 86_400)) {
    console.error(\`serve.mjs: --timeout takes the seconds one request may be scored for (default 60), got \${JSON.stringify(clip(rawTimeout ?? ''))}\`);
    process.exit(2);
  }
  const rawWindow = value('--drift-window');
  const driftWindow = rawWindow === undefined ? 100 : Number(rawWindow);
  if (!(Number.isInteger(driftWindow) && driftWindow > 0)) {
    console.error(\`serve.mjs: --drift-window takes how many recent requests GET /drift covers (default 100), got \${JSON.stringify(clip(rawWindow ?? ''))}\`);
    process.exit(2);
  }
  return { port, names, timeoutMs: timeout * 1000, driftWindow };
}

/** "name" of "name:port" or "[v6]:port" (lower case). */
function hostName(host) {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end < 0 ? host : host.slice(0, end + 1);
  }
  const colon = host.indexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}

/** Which Host headers and Origins this server answers. */
function addressRules(port, names) {
  const loopback = ['127.0.0.1', 'localhost', '[::1]'];
  const hosts = new Set(loopback.map((h) => \`\${h}:\${port}\`));
  if (port === 80) for (const h of loopback) hosts.add(h);
  const origins = new Set([...hosts].map((h) => \`http://\${h}\`));
  // --host NAME:PORT accepts exactly that; --host NAME accepts NAME with any port or none.
  const exact = new Set(names.filter((n) => hostName(n) !== n));
  const anyPort = new Set(names.filter((n) => hostName(n) === n));
  const extraHost = (h) => exact.has(h) || anyPort.has(hostName(h));
  return {
    host: (h) => hosts.has(h) || extraHost(h),
    origin: (o) => origins.has(o) || ((o.startsWith('http://') || o.startsWith('https://')) && extraHost(o.slice(o.indexOf('//') + 2))),
  };
}

` + SERVE_MJS_HTTP;
