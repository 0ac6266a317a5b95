// The memory the WebAssembly kernels work in: one WebAssembly.Memory of fixed size per network, one
// instance of a kernel module over it, and a bump allocator that cuts Float32Array views from it.
// Buffers are views; kernels take their byte offsets, so nothing is copied between JavaScript and
// WebAssembly inside a step. The memory never grows after views are cut (growing would detach them).

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
  embedBackward(gWx: number, dX: number, inputs: number, rows: number, GH: number, V: number, scratch: number): void;
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
  clipSumSquares(g: number, n: number, limit: number): number;
  scale(g: number, n: number, s: number): void;
  dropoutForward(dropped: number, mask: number, out: number, T: number, B: number, H: number,
                 threshold: number, scale: number, layerKey: number, firstStream: number): void;
  multiplyInPlace(d: number, mask: number, n: number): void;
}

const PAGE = 65536;
const RESERVED = PAGE; // the module's own statics and scratch, below every buffer

// The slice of the WebAssembly JS API used here (the project's lib settings carry no DOM types).
export type WasmModule = object;
interface WasmMemory { readonly buffer: ArrayBuffer }
export interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: object };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}
export const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/**
 * Floats an allocation of n takes in an arena: every one starts 16-byte aligned. A counting pass
 * over a network's buffers adds these up to size its arena before any view is cut.
 */
export function arenaFloats(n: number): number {
  return Math.ceil(n / 4) * 4;
}

const arenas = new WeakMap<ArrayBufferLike, Arena>();

/** The arena an array lives in, if any. */
export function arenaOf(a: ArrayBufferView): Arena | undefined {
  return arenas.get(a.buffer);
}

/** One instance of a kernel module over a memory of fixed size, and a bump allocator over it. */
export class Arena {
  readonly memory: WasmMemory;
  readonly x: WasmExports;
  private next = RESERVED;
  private readonly end: number;

  /** kernelSet: the name of the module's kernel set ('wasm-simd', 'wasm-relaxed-simd'). */
  constructor(module: WasmModule, floats: number, readonly kernelSet = 'wasm-simd') {
    if (!WA) throw new Error('this runtime has no WebAssembly');
    const bytes = RESERVED + floats * 4 + 64;
    this.memory = new WA.Memory({ initial: Math.ceil(bytes / PAGE) });
    this.end = this.memory.buffer.byteLength;
    this.x = new WA.Instance(module, { env: { memory: this.memory } }).exports as unknown as WasmExports;
    arenas.set(this.memory.buffer, this);
  }

  /** n zeroed floats, 16-byte aligned. */
  floats(n: number): Float32Array {
    return new Float32Array(this.memory.buffer, this.take(n), n);
  }

  /** n zeroed int32s, 16-byte aligned. */
  ints(n: number): Int32Array {
    return new Int32Array(this.memory.buffer, this.take(n), n);
  }

  private take(elements: number): number {
    const at = this.next;
    const next = at + arenaFloats(elements) * 4;
    if (next > this.end) throw new RangeError(`arena of ${this.end} bytes is full`);
    this.next = next;
    return at;
  }
}
