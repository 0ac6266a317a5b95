// Stands in for core/kernels/wasm-bytes.ts in the page's bundle: the page carries the WebAssembly kernels
// deflated (a third of their size) and inflates them before the first network is built (see main.ts).
export let KERNELS_WASM_BASE64 = '';

declare const __KERNELS_DEFLATED_BASE64__: string;

function fromBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Inflate the kernels; false where the browser cannot (no DecompressionStream), and the plain kernels run. */
export async function loadKernels(): Promise<boolean> {
  if (typeof DecompressionStream !== 'function') return false;
  const stream = new Blob([fromBase64(__KERNELS_DEFLATED_BASE64__) as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new DecompressionStream('deflate-raw'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  KERNELS_WASM_BASE64 = btoa(s);
  return true;
}
