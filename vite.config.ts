import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { predictRuntimePlugin } from './src/node/vite-predict-runtime.ts';

// COOP/COEP make the page crossOriginIsolated, which tfjs-backend-wasm needs for threads.
// The CSP keeps every request on our own origin: no row of the user's data can leave the page.
// script-src allows blob: because tfjs-backend-wasm's threaded build starts its pthread workers from a
// blob URL that importScripts() another blob (the Emscripten glue); blob: URLs are created by the page
// itself and cannot name another origin.
const securityHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' blob:; worker-src 'self' blob:; " +
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' blob: data:; " +
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'",
};

export default defineConfig({
  plugins: [
    svelte(),
    // `virtual:predict-runtime`: the exported bundle's predict.mjs as text (src/core/export/runtime/).
    predictRuntimePlugin(),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script',
      manifest: {
        name: 'Sieve — AutoML in your browser',
        short_name: 'Sieve',
        description: 'Profile a CSV, search models, compare with today’s process and export a model — all offline.',
        theme_color: '#1f3a5f',
        background_color: '#ffffff',
        display: 'standalone',
        start_url: '.',
        icons: [{ src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,wasm,svg,png,ico,webmanifest,csv}'],
        maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
        navigateFallback: 'index.html',
        // With injectRegister 'script' the plugin sets neither flag. clientsClaim: the first visit is
        // controlled (and so works offline) without a reload. No skipWaiting: a new version waits until
        // every Sieve tab is closed, so an open tab never loses the old version's lazily loaded chunks
        // (cleanupOutdatedCaches would delete them mid-session, e.g. during a long search).
        clientsClaim: true,
        skipWaiting: false,
      },
    }),
  ],
  worker: {
    format: 'es',
    // vite 8's default worker minifier breaks tfjs-backend-wasm's threaded build (see shared TOOLCHAIN.md).
    rolldownOptions: { output: { minify: { mangle: false, compress: false } } },
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 8000 },
  server: { headers: securityHeaders },
  preview: { headers: securityHeaders, host: '127.0.0.1', port: 4173, strictPort: true },
});
