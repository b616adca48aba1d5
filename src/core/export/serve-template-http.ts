/**
 * The second part of serve.mjs's text (serve-template.ts has the first and joins them): the main
 * thread's HTTP server (routes, Host and Origin checks, body limits, requests in flight) and Engine,
 * which runs the prediction worker one request at a time and replaces it when it dies or times out.
 */
export const SERVE_MJS_HTTP = `async function main() {
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
