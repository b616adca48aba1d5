import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { predictRuntimePlugin } from './src/node/vite-predict-runtime.ts';
import { cspMetaPlugin, SECURITY_HEADERS } from './src/node/security-headers.ts';

export default defineConfig({
  plugins: [
    svelte(),
    // The CSP as a <meta> tag as well as a header (src/node/security-headers.ts).
    cspMetaPlugin(),
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
  server: { headers: SECURITY_HEADERS },
  preview: { headers: SECURITY_HEADERS, host: '127.0.0.1', port: 4173, strictPort: true },
});
