// Bundles the shared web page's script (share-page/main.ts and the engine it samples with) into one
// minified browser script, which every exported .html carries inline. The CLI and Electron builds inline
// it into their bundles (define __SHARE_PAGE_SCRIPT__); run directly, it writes dist/share-page/page.js.
// The WebAssembly kernels go in deflated (the page inflates them with DecompressionStream).
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateRawSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** One module's bytes from core/kernels/wasm-bytes.ts, where each is a run of concatenated string literals. */
function kernelsBytes(name) {
  const source = readFileSync(resolve(root, 'core/kernels/wasm-bytes.ts'), 'utf8');
  const start = source.indexOf(`export const ${name} =`);
  if (start < 0) throw new Error(`core/kernels/wasm-bytes.ts has no ${name}`);
  const end = source.indexOf(';', start);
  const base64 = [...source.slice(start, end).matchAll(/'([A-Za-z0-9+/=]*)'/g)].map((m) => m[1]).join('');
  return Buffer.from(base64, 'base64');
}

/** Resolve core's kernel bytes to the page's stand-in, which inflates them. */
const deflatedKernels = {
  name: 'deflated-kernels',
  setup(b) {
    b.onResolve({ filter: /\/wasm-bytes\.js$/ }, () => ({ path: resolve(root, 'share-page/kernels-bytes.ts') }));
  },
};

/** The page script's text. */
export async function buildSharePageScript() {
  // the relaxed set only, the one the CLI and the app sample with (a second set would take the page past its
  // 60 KB of code); a browser without relaxed SIMD samples on the TypeScript kernels
  const sets = { relaxed: kernelsBytes('KERNELS_RELAXED_WASM_BASE64') };
  for (const [name, wasm] of Object.entries(sets)) {
    if (wasm.length < 8 || wasm.readUInt32LE(0) !== 0x6d736100) throw new Error(`core/kernels/wasm-bytes.ts holds no ${name} WebAssembly module`);
  }
  const result = await build({
    entryPoints: [resolve(root, 'share-page/main.ts')],
    bundle: true,
    write: false,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2022'],
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [deflatedKernels],
    define: {
      __KERNELS_RELAXED_DEFLATED_BASE64__: JSON.stringify(deflateRawSync(sets.relaxed, { level: 9 }).toString('base64')),
    },
  });
  return result.outputFiles[0].text.trimEnd();
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const script = await buildSharePageScript();
  const out = resolve(root, 'dist/share-page/page.js');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, script);
  console.log(`built dist/share-page/page.js: ${script.length} bytes`);
}
