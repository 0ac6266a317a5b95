// The WebAssembly SIMD kernels (source: wasm/assembly/index.ts) and the arena they work in.
//
// Each Network on this path owns one Arena: a WebAssembly.Memory sized once for all of its
// buffers (parameters, gradients, activations, state), with one instance of the module over it.
// Buffers are Float32Array views into that memory; kernels are called with their byte offsets,
// so nothing is copied between JavaScript and WebAssembly. The memory never grows after views
// are cut (growing would detach them). Any call with an array outside an arena falls back to
// the plain loop kernels, so the Kernels contract holds for every caller.
import type { FloatArray } from '../tensor.js';
import type { Kernels } from './kernels.js';
import { loopKernels } from './loops.js';
import { KERNELS_WASM_BASE64 } from './wasm-bytes.js';

/** The module's exports: pointers are byte offsets into the arena's memory, sizes are float counts. */
export interface WasmExports {
  mapApprox(out: number, x: number, n: number, f: number): void;
  matmulABt(out: number, a: number, b: number, M: number, N: number, K: number): void;
  matmulAB(out: number, a: number, b: number, M: number, N: number, K: number): void;
  matmulAtB(out: number, a: number, b: number, M: number, N: number, K: number): void;
  fillRows(out: number, bias: number, rows: number, N: number): void;
  addRowSums(g: number, d: number, rows: number, N: number): void;
  transpose(dst: number, src: number, M: number, N: number): void;
  embedRows(xproj: number, bx: number, Wx: number, inputs: number, rows: number, GH: number, V: number, scratch: number): void;
  embedBackward(gWx: number, dX: number, inputs: number, rows: number, GH: number, V: number): void;
  softmaxLoss(logits: number, targets: number, rows: number, V: number): number;
  softmaxTemperature(y: number, V: number, invTemp: number): void;
  softmaxBackward(dl: number, targets: number, rows: number, V: number, scale: number, gby: number): void;
  rnnForward(hs: number, xproj: number, Wh: number, T: number, B: number, H: number): void;
  rnnBackward(dRaw: number, hs: number, dOut: number, dhNext: number, Wh: number, T: number, B: number, H: number): void;
  lstmForward(acts: number, hs: number, cs: number, tanhC: number, xproj: number, Wh: number, T: number, B: number, H: number): void;
  lstmBackward(dPre: number, acts: number, cs: number, tanhC: number, dOut: number, dhNext: number, dcNext: number,
               Wh: number, T: number, B: number, H: number): void;
  gruForward(hproj: number, acts: number, hs: number, xproj: number, Wh: number, bh: number, T: number, B: number, H: number): void;
  gruBackward(dX: number, dHproj: number, hproj: number, acts: number, hs: number, dOut: number, dhNext: number,
              Wh: number, T: number, B: number, H: number): void;
  pickIndex(probs: number, V: number, coin: number): number;
  adagrad(p: number, g: number, mem: number, n: number, lr: number, eps: number): void;
  rmsprop(p: number, g: number, cache: number, n: number, lr: number, decay: number, eps: number): void;
  adam(p: number, g: number, m: number, v: number, n: number, lr: number, b1: number, b2: number, eps: number, c1: number, c2: number): void;
  clip(g: number, n: number, limit: number): void;
  sumSquares(g: number, n: number): number;
  scale(g: number, n: number, s: number): void;
  dropoutForward(dropped: number, mask: number, out: number, T: number, B: number, H: number,
                 threshold: number, scale: number, layerKey: number, firstStream: number): void;
  multiplyInPlace(d: number, mask: number, n: number): void;
}

const PAGE = 65536;
const RESERVED = PAGE; // the module's own statics, below every buffer

// The slice of the WebAssembly JS API used here (the project's lib settings carry no DOM types).
type WasmModule = object;
interface WasmMemory { readonly buffer: ArrayBuffer }
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: object };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}
const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

let compiled: WasmModule | null | undefined;

function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The compiled module, or null where this runtime has no WebAssembly SIMD. */
export function kernelsModule(): WasmModule | null {
  if (compiled === undefined) {
    try {
      compiled = WA ? new WA.Module(decodeBase64(KERNELS_WASM_BASE64)) : null;
    } catch {
      compiled = null; // no SIMD here: the plain kernels run instead
    }
  }
  return compiled ?? null;
}

const arenas = new WeakMap<ArrayBufferLike, Arena>();

/** The arena an array lives in, if any. */
export function arenaOf(a: FloatArray | Int32Array): Arena | undefined {
  return arenas.get(a.buffer);
}

/** One instance of the kernels over a memory of fixed size, and a bump allocator over it. */
export class Arena {
  readonly memory: WasmMemory;
  readonly x: WasmExports;
  private next = RESERVED;
  private readonly end: number;

  constructor(module: WasmModule, floats: number) {
    const bytes = RESERVED + floats * 4 + 64;
    this.memory = new WA!.Memory({ initial: Math.ceil(bytes / PAGE) });
    this.end = this.memory.buffer.byteLength;
    this.x = new WA!.Instance(module, { env: { memory: this.memory } }).exports as unknown as WasmExports;
    arenas.set(this.memory.buffer, this);
  }

  /** n zeroed floats, 16-byte aligned. */
  floats(n: number): Float32Array {
    return new Float32Array(this.memory.buffer, this.take(n * 4), n);
  }

  /** n zeroed int32s. */
  ints(n: number): Int32Array {
    return new Int32Array(this.memory.buffer, this.take(n * 4), n);
  }

  private take(bytes: number): number {
    const at = this.next;
    const next = at + Math.ceil(bytes / 16) * 16;
    if (next > this.end) throw new RangeError(`arena of ${this.end} bytes is full`);
    this.next = next;
    return at;
  }
}

/** A bump allocator that only counts, to size an arena before any view is cut. */
export class ArenaPlan {
  floats = 0;
  add(n: number): void {
    this.floats += Math.ceil(n / 4) * 4;
  }
}

/** All of a, b, c... in this arena? Then their byte offsets are valid pointers for it. */
function sameArena(out: FloatArray, a: FloatArray, b: FloatArray): Arena | undefined {
  const arena = arenas.get(out.buffer);
  return arena && a.buffer === out.buffer && b.buffer === out.buffer ? arena : undefined;
}

export const wasmKernels: Kernels = Object.freeze({
  name: 'wasm',
  matmulABt(out: FloatArray, a: FloatArray, b: FloatArray, M: number, N: number, K: number): void {
    const arena = sameArena(out, a, b);
    if (arena) arena.x.matmulABt(out.byteOffset, a.byteOffset, b.byteOffset, M, N, K);
    else loopKernels.matmulABt(out, a, b, M, N, K);
  },
  matmulAB(out: FloatArray, a: FloatArray, b: FloatArray, M: number, N: number, K: number): void {
    const arena = sameArena(out, a, b);
    if (arena) arena.x.matmulAB(out.byteOffset, a.byteOffset, b.byteOffset, M, N, K);
    else loopKernels.matmulAB(out, a, b, M, N, K);
  },
  matmulAtB(out: FloatArray, a: FloatArray, b: FloatArray, M: number, N: number, K: number): void {
    const arena = sameArena(out, a, b);
    if (arena) arena.x.matmulAtB(out.byteOffset, a.byteOffset, b.byteOffset, M, N, K);
    else loopKernels.matmulAtB(out, a, b, M, N, K);
  },
  createArena(floats: number): Arena | null {
    const module = kernelsModule();
    if (!module) return null;
    try {
      return new Arena(module, floats);
    } catch {
      return null; // more than a 32-bit memory holds (or than the runtime grants): the plain kernels run instead
    }
  },
});
