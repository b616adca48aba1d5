/**
 * serve.mjs: the bundle's HTTP server, as text. Node ≥ 18, node:http only, listening on 127.0.0.1.
 * test/unit/export/serve.test.ts starts it as a child process and checks every route and error.
 */
export const SERVE_MJS = `#!/usr/bin/env node
// serve.mjs: an HTTP API for this Sieve model. Node >= 18, no dependencies.
//
//   node serve.mjs [--port 8080]
//
// POST /predict  {"rows": [{...}, ...]} or [{...}, ...]  ->  {"predictions": [...]}
// GET  /health   ->  {"status": "ok", "target", "task", "classes", "created", "sha256"}
// GET  /schema   ->  the JSON Schema of one input row (schema.json)
//
// It listens on 127.0.0.1 only: put a reverse proxy with authentication in front of it to expose it.
// Bodies over 10 MB get 413; invalid JSON and rows that do not fit the schema get 400 with the reason.
import http from 'node:http';
import { loadModel } from './predict.mjs';

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const HOST = '127.0.0.1';

function parsePort(argv) {
  const i = argv.findIndex((a) => a === '--port' || a.startsWith('--port='));
  if (i < 0) return 8080;
  const raw = argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : argv[i + 1];
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(\`serve.mjs: --port must be a whole number from 0 to 65535, got \${JSON.stringify(raw ?? '')}\`);
    process.exit(2);
  }
  return port;
}

const port = parsePort(process.argv.slice(2));
let model;
try {
  model = await loadModel(new URL('./model.json', import.meta.url));
} catch (err) {
  console.error(\`serve.mjs: cannot load model.json: \${err.message}\`);
  process.exit(1);
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
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
    if (!over) done(Buffer.concat(chunks).toString('utf8'));
  });
  req.on('error', () => {});
}

function predict(text, res) {
  let body;
  try {
    body = JSON.parse(text);
  } catch (err) {
    return send(res, 400, { error: \`invalid JSON: \${err.message}\` });
  }
  const rows = Array.isArray(body) ? body : body && typeof body === 'object' && Array.isArray(body.rows) ? body.rows : null;
  if (!rows) return send(res, 400, { error: 'expected {"rows": [...]} or an array of rows (objects keyed by column name)' });
  const errors = model.validate(rows);
  if (errors.length) {
    return send(res, 400, { error: \`\${new Set(errors.map((e) => e.row)).size} of \${rows.length} rows do not fit the model's input schema (GET /schema)\`, errors });
  }
  try {
    send(res, 200, { predictions: model.predict(rows) });
  } catch (err) {
    send(res, 500, { error: \`prediction failed: \${err.message}\` });
  }
}

const server = http.createServer((req, res) => {
  const path = (req.url || '/').split('?')[0];
  if (path === '/predict') {
    if (req.method !== 'POST') return send(res, 405, { error: 'use POST /predict with a JSON body' });
    return readBody(req, res, (text) => predict(text, res));
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: \`\${req.method} is not supported here\` });
  if (path === '/health') {
    return send(res, 200, { status: 'ok', target: model.target, task: model.task, classes: model.classes, created: model.created, sha256: model.sha256 });
  }
  if (path === '/schema') return send(res, 200, model.schema);
  send(res, 404, { error: \`no route \${path}: use POST /predict, GET /health or GET /schema\` });
});
server.requestTimeout = 60_000;
server.headersTimeout = 30_000;
server.on('error', (err) => {
  console.error(\`serve.mjs: \${err.code === 'EADDRINUSE' ? \`port \${port} is already in use; choose another with --port\` : err.message}\`);
  process.exit(1);
});
server.listen(port, HOST, () => {
  console.log(\`Sieve model predicting "\${model.target}" listening on http://\${HOST}:\${server.address().port}\`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
`;
