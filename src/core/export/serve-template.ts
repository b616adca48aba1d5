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
 */
export const SERVE_MJS = `#!/usr/bin/env node
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

async function main() {
  const { port, names, timeoutMs, driftWindow } = parseArgs(process.argv.slice(2));
  const engine = new Engine(timeoutMs, driftWindow);
  try {
    await engine.start();
  } catch (err) {
    console.error(\`serve.mjs: cannot load model.json: \${err.message}\`);
    process.exit(1);
  }
  let rules = addressRules(port, names);
  let inFlight = 0;

  const server = http.createServer((req, res) => {
    try {
      route(req, res);
    } catch (err) {
      console.error(\`serve.mjs: \${clip(err?.message ?? err, 200)}\`);
      send(res, 500, { error: 'internal error' });
    }
  });

  function route(req, res) {
    const host = String(req.headers.host ?? '').toLowerCase();
    if (!rules.host(host)) {
      return send(res, 421, { error: \`this server answers requests for http://127.0.0.1:\${server.address().port} only, not for Host \${JSON.stringify(clip(host))}; start it with --host NAME to accept another name\` });
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !rules.origin(String(origin).toLowerCase())) {
      return send(res, 403, { error: \`requests from other web pages (Origin \${JSON.stringify(clip(origin))}) are refused\` });
    }
    const path = (req.url || '/').split('?')[0];
    if (path === '/predict') {
      if (req.method !== 'POST') return send(res, 405, { error: 'use POST /predict with a JSON body' });
      const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (type !== 'application/json') {
        return send(res, 415, { error: \`send the rows as JSON with Content-Type: application/json (got \${JSON.stringify(clip(type || 'none'))})\` });
      }
      if (inFlight >= MAX_IN_FLIGHT) {
        res.setHeader('retry-after', '1');
        return send(res, 503, { error: \`busy: \${MAX_IN_FLIGHT} requests are being scored; try again shortly\` });
      }
      // Counted until the worker is done with it (not until the client hangs up), so that clients
      // that disconnect cannot pile up work in the worker's queue.
      inFlight++;
      let dispatched = false;
      let counted = true;
      const release = () => {
        if (counted) inFlight--;
        counted = false;
      };
      res.once('close', () => {
        if (!dispatched) release();
      });
      return readBody(req, res, (body) => {
        dispatched = true;
        engine.predict(body, (status, text) => {
          release();
          sendText(res, status, text);
        });
      });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: \`\${clip(req.method, 20)} is not supported here\` });
    if (path === '/health') return sendText(res, 200, engine.health);
    if (path === '/schema') return sendText(res, 200, engine.schema);
    if (path === '/drift') return engine.drift ? sendText(res, 200, engine.drift) : send(res, 404, { error: 'this bundle has no training profile for a drift check' });
    send(res, 404, { error: \`no route \${JSON.stringify(clip(path))}: use POST /predict, GET /health, GET /schema or GET /drift\` });
  }

  server.requestTimeout = 60_000;
  server.headersTimeout = 30_000;
  server.on('error', (err) => {
    console.error(\`serve.mjs: \${err.code === 'EADDRINUSE' ? \`port \${port} is already in use; choose another with --port\` : err.message}\`);
    process.exit(1);
  });
  server.listen(port, HOST, () => {
    const actual = server.address().port;
    rules = addressRules(actual, names);
    console.log(\`Sieve model predicting "\${clip(engine.target, 200)}" listening on http://\${HOST}:\${actual}\`);
  });
  const stop = () => {
    engine.stop();
    server.close(() => process.exit(0));
    server.closeAllConnections?.();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function sendText(res, status, text) {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(text);
}

function send(res, status, body) {
  sendText(res, status, JSON.stringify(body));
}

function tooLarge(req, res) {
  send(res, 413, { error: \`request body too large: the limit is \${MAX_BODY_BYTES} bytes; send fewer rows per request\` });
  // Read (and drop) what the client is still sending, so it sees the answer; give up on a flood.
  let drained = 0;
  req.on('data', (chunk) => {
    drained += chunk.length;
    if (drained > 4 * MAX_BODY_BYTES) req.destroy();
  });
  req.resume();
}

/** The body as bytes in an ArrayBuffer of its own (it is handed to the worker, not copied). */
function readBody(req, res, done) {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return tooLarge(req, res);
  const chunks = [];
  let size = 0;
  let over = false;
  req.on('data', (chunk) => {
    if (over) return;
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      over = true;
      chunks.length = 0;
      tooLarge(req, res);
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (over || res.destroyed) return;
    const body = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
      body.set(c, at);
      at += c.length;
    }
    done(body);
  });
  req.on('error', () => {});
}

/**
 * The prediction worker: one request at a time, in order. A worker that dies (an error, out of
 * memory) or takes longer than timeoutMs on one request is replaced; the requests it held get 500
 * or 503.
 */
class Engine {
  #timeoutMs;
  #worker = null;
  #pending = new Map();
  #next = 1;
  #stopping = false;
  #timer = null;
  target = '';
  health = '';
  schema = '';
  /** The latest GET /drift answer ('' when the bundle has no training profile). */
  drift = '';
  #driftWindow;

  constructor(timeoutMs, driftWindow) {
    this.#timeoutMs = timeoutMs;
    this.#driftWindow = driftWindow;
  }

  start() {
    return new Promise((resolve, reject) => {
      const w = new Worker(new URL(import.meta.url), { workerData: { driftWindow: this.#driftWindow } });
      let ready = false;
      w.on('message', (msg) => {
        if (msg.type === 'ready') {
          ready = true;
          this.#worker = w;
          this.target = msg.target;
          this.health = msg.health;
          this.schema = msg.schema;
          this.drift = msg.drift;
          resolve();
        } else if (msg.type === 'failed') {
          reject(new Error(msg.message));
          void w.terminate();
        } else if (msg.type === 'started') {
          clearTimeout(this.#timer);
          this.#timer = setTimeout(() => this.#restart(w, 503, \`scoring took longer than \${this.#timeoutMs / 1000} s; send fewer rows per request\`), this.#timeoutMs);
        } else if (msg.type === 'reply') {
          clearTimeout(this.#timer);
          if (msg.drift) this.drift = msg.drift;
          const reply = this.#pending.get(msg.id);
          this.#pending.delete(msg.id);
          reply?.(msg.status, msg.text);
        }
      });
      w.on('error', (err) => {
        if (!ready) reject(err);
        else console.error(\`serve.mjs: the prediction worker failed: \${clip(err?.message ?? err, 200)}\`);
      });
      w.on('exit', () => {
        if (!ready) reject(new Error('the prediction worker stopped while loading the model'));
        else this.#restart(w, 500, 'prediction failed: the prediction worker stopped; it has been restarted');
      });
    });
  }

  /** Replaces the worker w (if it is still the current one); every request it held gets status. */
  #restart(w, status, error) {
    if (this.#worker !== w) return;
    clearTimeout(this.#timer);
    this.#worker = null;
    void w.terminate();
    const text = JSON.stringify({ error });
    for (const reply of this.#pending.values()) reply(status, text);
    this.#pending.clear();
    if (this.#stopping) return;
    const again = () => this.start().catch((err) => {
      console.error(\`serve.mjs: cannot restart the prediction worker: \${clip(err.message, 200)}\`);
      setTimeout(again, 1000).unref();
    });
    again();
  }

  predict(body, reply) {
    if (!this.#worker) return reply(503, JSON.stringify({ error: 'the model is being reloaded; try again shortly' }));
    const id = this.#next++;
    this.#pending.set(id, reply);
    this.#worker.postMessage({ id, body }, [body.buffer]);
  }

  stop() {
    this.#stopping = true;
    clearTimeout(this.#timer);
    void this.#worker?.terminate();
  }
}

// Last, once every declaration above is initialised: the same file runs as the server and as its worker.
if (isMainThread) await main();
else await worker();
`;
