// Vite build of the renderer: a static, relative-path bundle that Electron loads from disk under a strict CSP.
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { RENDERER_CSP_DIRECTIVES } from '../main/contract/csp.js';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The production CSP, added only to the build: the dev server needs its websocket and
 * injected client, which this policy (rightly) forbids.
 */
const CONTENT_SECURITY_POLICY = RENDERER_CSP_DIRECTIVES.join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'studio-csp',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' },
    ],
  };
}

export default defineConfig({
  root,
  base: './',
  plugins: [svelte({ configFile: `${root}/svelte.config.js` }), contentSecurityPolicy()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome130',
    // no inlined assets: a data: URL script or font would need a looser CSP
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 800,
  },
});
