// Turns on WebAssembly relaxed SIMD where V8 keeps it behind a flag (Node 20; Electron's Node has it
// on), so core/kernels/wasm.ts can compile its relaxed module (fused multiply-add). Imported first by
// each entry (CLI, worker), before anything compiles a module: V8 reads the flag at compile time.
// Flags are process-wide, so the training pool's threads see it too.
import { setFlagsFromString } from 'node:v8';

export const RELAXED_SIMD_FLAG = '--experimental-wasm-relaxed-simd';

try {
  setFlagsFromString(RELAXED_SIMD_FLAG);
} catch {
  // a runtime without the flag: the plain-SIMD module runs, and the kernel set in use says so
}
