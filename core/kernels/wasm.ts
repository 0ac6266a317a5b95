// The WebAssembly SIMD kernel sets (source: wasm/assembly/index.ts) and which of them this runtime runs.
//
// Two modules are built from one source: plain SIMD (f32x4 multiply, then add) and relaxed SIMD
// (f32x4.relaxed_madd, one fused multiply-add where the CPU has FMA). Each is deterministic on its
// own; they differ from each other in the last bits, so a run records which set trained it and a
// resumed run asks for the same one. The relaxed set is preferred where the runtime compiles it
// (Electron; Node 20 behind --experimental-wasm-relaxed-simd, which main/ turns on at startup).
// Any call with an array outside an arena falls back to the plain loop kernels, so the Kernels
// contract holds for every caller.
import type { FloatArray } from '../tensor.js';
import type { Kernels } from './kernels.js';
import { loopKernels } from './loops.js';
import { Arena, arenaOf as arenaOfBuffer, WA, type WasmModule } from './arena.js';
import { KERNELS_RELAXED_WASM_BASE64, KERNELS_WASM_BASE64 } from './wasm-bytes.js';

export type WasmKernelSetName = 'wasm-relaxed-simd' | 'wasm-simd';

function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

interface Compiled { module: WasmModule | null; error: string | null }
const compiled = new Map<WasmKernelSetName, Compiled>();
// read when first compiled, not at load: the shared web page fills the bytes in after it inflates them
const sourceOf = (set: WasmKernelSetName): string => (set === 'wasm-relaxed-simd' ? KERNELS_RELAXED_WASM_BASE64 : KERNELS_WASM_BASE64);

function compile(set: WasmKernelSetName): Compiled {
  let c = compiled.get(set);
  if (!c) {
    try {
      c = WA ? { module: new WA.Module(decodeBase64(sourceOf(set))), error: null }
        : { module: null, error: 'this runtime has no WebAssembly' };
    } catch (e) {
      c = { module: null, error: `this runtime cannot compile the ${set} module (${(e as Error).message})` };
    }
    compiled.set(set, c);
  }
  return c;
}

/** The compiled module of a set, or null where this runtime cannot run it. */
export function kernelsModule(set: WasmKernelSetName = preferredWasmSet() ?? 'wasm-simd'): WasmModule | null {
  return compile(set).module;
}

/** The fastest WebAssembly set this runtime compiles, or null when it compiles none. */
export function preferredWasmSet(): WasmKernelSetName | null {
  if (compile('wasm-relaxed-simd').module) return 'wasm-relaxed-simd';
  return compile('wasm-simd').module ? 'wasm-simd' : null;
}

let lastFallback: string | null = null;

/**
 * Why the most recent network that asked for WebAssembly kernels runs on the TypeScript loops
 * instead (null when none has had to): the runtime has no SIMD, or the buffers outgrow a memory.
 */
export function kernelFallbackReason(): string | null {
  return lastFallback;
}

/** All of a, b, c in this arena? Then their byte offsets are valid pointers for it. */
function sameArena(out: FloatArray, a: FloatArray, b: FloatArray): Arena | undefined {
  const arena = arenaOfBuffer(out);
  return arena && a.buffer === out.buffer && b.buffer === out.buffer ? arena : undefined;
}

function wasmSet(set: WasmKernelSetName): Kernels {
  return Object.freeze({
    name: set,
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
      const { module, error } = compile(set);
      if (!module) {
        lastFallback = error;
        return null;
      }
      try {
        return new Arena(module, floats, set);
      } catch (e) {
        lastFallback = `its buffers (${Math.round(floats * 4 / 2 ** 20)} MiB) do not fit one WebAssembly memory (${(e as Error).message})`;
        return null;
      }
    },
  });
}

export const wasmSimdKernels: Kernels = wasmSet('wasm-simd');
export const wasmRelaxedKernels: Kernels = wasmSet('wasm-relaxed-simd');

/** The preferred set, chosen at first use (not at import: main/ may enable relaxed SIMD first). */
function preferred(): Kernels {
  return preferredWasmSet() === 'wasm-relaxed-simd' ? wasmRelaxedKernels : wasmSimdKernels;
}

/** The preferred WebAssembly set here: relaxed SIMD where it compiles, plain SIMD otherwise. */
export const wasmKernels: Kernels = Object.freeze({
  get name() { return preferred().name; },
  matmulABt: (out: FloatArray, a: FloatArray, b: FloatArray, M: number, N: number, K: number) => preferred().matmulABt(out, a, b, M, N, K),
  matmulAB: (out: FloatArray, a: FloatArray, b: FloatArray, M: number, N: number, K: number) => preferred().matmulAB(out, a, b, M, N, K),
  matmulAtB: (out: FloatArray, a: FloatArray, b: FloatArray, M: number, N: number, K: number) => preferred().matmulAtB(out, a, b, M, N, K),
  createArena: (floats: number) => preferred().createArena!(floats),
});

/** A WebAssembly kernel set by the name a checkpoint records, where this runtime has it (null otherwise). */
export function wasmKernelsNamed(name: string): Kernels | null {
  if (name !== 'wasm-simd' && name !== 'wasm-relaxed-simd') return null;
  return compile(name).module ? (name === 'wasm-simd' ? wasmSimdKernels : wasmRelaxedKernels) : null;
}

/** Any float32 kernel set by its name ('loops' included), where this runtime has it (null otherwise). */
export function kernelSetNamed(name: string): Kernels | null {
  return name === loopKernels.name ? loopKernels : wasmKernelsNamed(name);
}
