/**
 * The production build served by `vite preview` for the page benchmarks (bench/page.ts,
 * bench/page-ingest.ts, bench/scale.ts), with the project's COOP/COEP headers. Node runs vite directly
 * (no shell, no npx), so the pid a benchmark stops is the server itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../test/helpers/chromium.ts';

/** Serves `outDir` (default `<repoRoot>/dist`) and resolves once it answers. */
export async function startPreview(repoRoot: string, outDir = path.join(repoRoot, 'dist')): Promise<{ url: string; child: ChildProcess }> {
  if (!fs.existsSync(path.join(outDir, 'index.html'))) throw new Error(`${outDir} has no index.html: build first (npx vite build)`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'node_modules/vite/bin/vite.js'), 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', outDir],
    { cwd: repoRoot, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } },
  );
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`vite preview exited with code ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) {
        const coop = response.headers.get('cross-origin-opener-policy');
        const coep = response.headers.get('cross-origin-embedder-policy');
        if (coop !== 'same-origin' || coep !== 'require-corp')
          console.log(`# page: WARNING the preview sends COOP=${coop} COEP=${coep} (WASM threads need same-origin / require-corp)`);
        return { url, child };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error(`vite preview did not answer at ${url}`);
}
