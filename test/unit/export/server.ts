/** Starts a bundle's serve.mjs as a child process on a free 127.0.0.1 port, always stopped by stop(). */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface Served {
  port: number;
  child: ChildProcess;
  stop: () => Promise<void>;
}

/** Runs `node serve.mjs --port <free> ...args` in dir and waits (at most 15 s) for its "listening" line. */
export async function startServer(dir: string, args: string[] = []): Promise<Served> {
  const port = await freePort();
  const child = spawn(process.execPath, ['serve.mjs', '--port', String(port), ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`serve.mjs did not start in 15 s: ${output}`));
    }, 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve.mjs exited with ${code}: ${output}`));
    });
  });
  return { port, child, stop };
}

export interface Reply {
  status: number;
  body: unknown;
}

/** One request with node:http (full control of the body, for the size limit). */
export function request(port: number, method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null });
      });
    });
    req.setTimeout(20_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as sent (not parsed), and its size in bytes. */
  text: string;
  bytes: number;
}

/**
 * One request with exactly the headers given (no Content-Type added; `host: null` sends no Host
 * header at all) and the raw reply.
 */
export function rawRequest(port: number, method: string, path: string, body?: string | Buffer, headers: Record<string, string | null> = {}): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const sent: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) if (v !== null) sent[k] = v;
    const setHost = !('host' in headers);
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: sent, setHost }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: buf.toString('utf8'), bytes: buf.length });
      });
    });
    req.setTimeout(30_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/**
 * Polls GET /health from a separate process (so that this process's own work does not count) every
 * `everyMs` until stop() is called; stop() resolves with every latency in milliseconds and the
 * statuses that were not 200.
 */
export function probeHealth(port: number, everyMs = 10): { stop: () => Promise<{ latencies: number[]; failures: string[] }> } {
  const script = `
    const http = require('node:http');
    const latencies = []; const failures = []; let running = true;
    process.stdin.on('data', () => { running = false; });
    function once() {
      if (!running) { process.stdout.write(JSON.stringify({ latencies, failures })); process.exit(0); }
      const t = performance.now();
      const req = http.get({ host: '127.0.0.1', port: ${port}, path: '/health', agent: false }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - t);
          if (res.statusCode !== 200) failures.push(String(res.statusCode));
          setTimeout(once, ${everyMs});
        });
      });
      req.setTimeout(5000, () => req.destroy(new Error('timeout')));
      req.on('error', (e) => { failures.push(e.message); latencies.push(performance.now() - t); setTimeout(once, ${everyMs}); });
    }
    once();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  const done = new Promise<{ latencies: number[]; failures: string[] }>((resolve, reject) => {
    child.once('exit', () => {
      try {
        resolve(JSON.parse(out));
      } catch (err) {
        reject(err);
      }
    });
  });
  return {
    stop: () => {
      child.stdin!.write('x');
      return done;
    },
  };
}
