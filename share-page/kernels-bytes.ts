// Stands in for core/kernels/wasm-bytes.ts in the page's bundle: the page carries the relaxed-SIMD WebAssembly
// kernels (the set the CLI and the app sample with) deflated, a third of their size, and inflates them before
// the first network is built (see main.ts). It has no plain-SIMD set: without relaxed SIMD the TypeScript kernels run.
export const KERNELS_WASM_BASE64 = '';
export let KERNELS_RELAXED_WASM_BASE64 = '';

declare const __KERNELS_RELAXED_DEFLATED_BASE64__: string;

function fromBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function inflate(deflatedBase64: string): Promise<string> {
  const stream = new Blob([fromBase64(deflatedBase64) as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new DecompressionStream('deflate-raw'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Inflate the kernels; false where the browser cannot (no DecompressionStream), and the TypeScript kernels run. */
export async function loadKernels(): Promise<boolean> {
  if (typeof DecompressionStream !== 'function') return false;
  KERNELS_RELAXED_WASM_BASE64 = await inflate(__KERNELS_RELAXED_DEFLATED_BASE64__);
  return true;
}
