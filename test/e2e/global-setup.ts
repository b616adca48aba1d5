/**
 * Global setup of the vitest 'e2e' project: serves the PRODUCTION build (`dist/`, made by the
 * `test:e2e` script's `vite build`) with `vite preview`, and gives the tests its URL via
 * `inject('baseUrl')`. Port: $SIEVE_E2E_PORT if set, else 4173 if free, else any free port
 * (so a `npm start` left running, or another checkout's tests, do not collide).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const HOST = '127.0.0.1';
const DEFAULT_PORT = 4173;
const START_TIMEOUT_MS = 30_000;

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function choosePort(): Promise<number> {
  const fromEnv = process.env.SIEVE_E2E_PORT;
  if (fromEnv) {
    const port = Number(fromEnv);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`SIEVE_E2E_PORT="${fromEnv}" is not a port number`);
    return port;
  }
  return (await portIsFree(DEFAULT_PORT)) ? DEFAULT_PORT : anyFreePort();
}

async function waitUntilServing(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`vite preview exited with code ${child.exitCode} before serving ${url}:\n${output()}`);
    }
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`vite preview did not answer at ${url} within ${START_TIMEOUT_MS / 1000} s:\n${output()}`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(killTimer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'index.html'))) {
    throw new Error('dist/index.html is missing: the e2e tests run against the production build. Use `npm run test:e2e` (it runs `vite build` first).');
  }
  const port = await choosePort();
  const baseUrl = `http://${HOST}:${port}/`;
  const viteBin = path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  // Node runs vite directly (no shell, no npx), so the pid we kill at teardown is the server itself.
  const child = spawn(process.execPath, [viteBin, 'preview', '--host', HOST, '--port', String(port), '--strictPort'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  try {
    await waitUntilServing(baseUrl, child, () => output);
  } catch (err) {
    await stop(child);
    throw err;
  }
  project.provide('baseUrl', baseUrl);
  return () => stop(child);
}
