// Types for scripts/build-wasm.mjs, which the unit tests import.
export declare const ASC_FLAGS: string[];
export declare function compileKernels(): Promise<Uint8Array>;
export declare function generatedSource(bytes: Uint8Array): string;
