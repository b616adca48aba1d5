/**
 * The page's security headers, in one place: `vite dev` and `vite preview` send them as headers, and
 * the build writes the Content-Security-Policy into index.html as a <meta> tag too, so that `dist/`
 * hosted on any static server keeps it. COOP/COEP cannot be set from a meta tag: a static host must
 * send those two itself (the README shows how), or the wasm backend runs without threads.
 *
 * COOP/COEP make the page crossOriginIsolated, which tfjs-backend-wasm needs for threads.
 * The CSP keeps every request on our own origin: no row of the user's data can leave the page.
 * script-src allows blob: because tfjs-backend-wasm's threaded build starts its pthread workers from a
 * blob URL that importScripts() another blob (the Emscripten glue); blob: URLs are created by the page
 * itself and cannot name another origin.
 */
import type { Plugin } from 'vite';

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' blob:; worker-src 'self' blob:; " +
  "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' blob: data:; " +
  "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'";

export const SECURITY_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
};

const PLACEHOLDER = '%SIEVE_CSP%';

/**
 * Fills index.html's `<meta http-equiv="Content-Security-Policy" content="%SIEVE_CSP%">` (placed right
 * after <meta charset>, before any script, so it covers them all) with the policy above.
 */
export function cspMetaPlugin(): Plugin {
  return {
    name: 'sieve-csp-meta',
    transformIndexHtml: {
      order: 'pre',
      handler(html) {
        if (!html.includes(PLACEHOLDER)) throw new Error(`index.html lacks the CSP meta tag (content="${PLACEHOLDER}")`);
        return html.replace(PLACEHOLDER, CONTENT_SECURITY_POLICY.replace(/"/g, '&quot;'));
      },
    },
  };
}
