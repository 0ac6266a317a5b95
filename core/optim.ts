// Optimizers and gradient clipping: each one loop over the flat parameter buffer.
import type { OptimizerName } from './config.js';
import type { FloatArray } from './tensor.js';
import { arenaOf, type Arena } from './kernels/arena.js';

export const ADAGRAD_EPS = 1e-8;          // the seed's
export const ADAM = Object.freeze({ beta1: 0.9, beta2: 0.999, eps: 1e-8 });
export const RMSPROP = Object.freeze({ decay: 0.9, eps: 1e-8 });

/** Floats of optimizer state per parameter: Adam keeps two moments, the others one. */
export function optimizerStateMultiple(name: OptimizerName): number {
  return name === 'adam' ? 2 : 1;
}

/**
 * One update. state holds the optimizer's moments ([mem] for adagrad, [m | v] for adam,
 * [cache] for rmsprop); step is the 1-based count of updates including this one (Adam's bias correction).
 */
export function optimizerStep(name: OptimizerName, params: FloatArray, grads: FloatArray, state: FloatArray,
                              learningRate: number, step: number): void {
  const n = params.length;
  const arena = residentArena(params, grads, state);
  if (arena) return wasmOptimizerStep(arena, name, params, grads, state, learningRate, step);
  switch (name) {
    case 'adagrad':
      // mem += dθ²;  θ −= lr·dθ / √(mem + ε)
      for (let i = 0; i < n; i++) {
        const g = grads[i];
        state[i] += g * g;
        params[i] -= (learningRate * g) / Math.sqrt(state[i] + ADAGRAD_EPS);
      }
      return;
    case 'rmsprop': {
      // cache = ρ·cache + (1−ρ)·dθ²;  θ −= lr·dθ / (√cache + ε)
      const { decay, eps } = RMSPROP;
      for (let i = 0; i < n; i++) {
        const g = grads[i];
        state[i] = decay * state[i] + (1 - decay) * g * g;
        params[i] -= (learningRate * g) / (Math.sqrt(state[i]) + eps);
      }
      return;
    }
    case 'adam': {
      // m = β1·m + (1−β1)·dθ;  v = β2·v + (1−β2)·dθ²;  θ −= lr·m̂ / (√v̂ + ε)
      const { beta1, beta2, eps } = ADAM;
      const c1 = 1 - Math.pow(beta1, step), c2 = 1 - Math.pow(beta2, step);
      for (let i = 0; i < n; i++) {
        const g = grads[i];
        const m = (state[i] = beta1 * state[i] + (1 - beta1) * g);
        const v = (state[n + i] = beta2 * state[n + i] + (1 - beta2) * g * g);
        params[i] -= (learningRate * (m / c1)) / (Math.sqrt(v / c2) + eps);
      }
      return;
    }
  }
}

/** The arena all of these float32 buffers live in (then the WebAssembly kernels update them), if any. */
function residentArena(...buffers: FloatArray[]): Arena | undefined {
  const arena = arenaOf(buffers[0]);
  return arena && buffers.every((b) => b.buffer === buffers[0].buffer) ? arena : undefined;
}

// The same updates in float32 inside WebAssembly (wasm/assembly/index.ts), for buffers in an arena.
function wasmOptimizerStep(arena: Arena, name: OptimizerName, params: FloatArray, grads: FloatArray, state: FloatArray,
                           learningRate: number, step: number): void {
  const n = params.length, p = params.byteOffset, g = grads.byteOffset, s = state.byteOffset;
  switch (name) {
    case 'adagrad':
      return arena.x.adagrad(p, g, s, n, learningRate, ADAGRAD_EPS);
    case 'rmsprop':
      return arena.x.rmsprop(p, g, s, n, learningRate, RMSPROP.decay, RMSPROP.eps);
    case 'adam': {
      const { beta1, beta2, eps } = ADAM;
      return arena.x.adam(p, g, s, s + 4 * n, n, learningRate, beta1, beta2, eps, 1 - Math.pow(beta1, step), 1 - Math.pow(beta2, step));
    }
  }
}

/** The L2 norm of a gradient buffer. */
export function l2Norm(g: FloatArray): number {
  const arena = residentArena(g);
  if (arena) return Math.sqrt(arena.x.sumSquares(g.byteOffset, g.length));
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i] * g[i];
  return Math.sqrt(s);
}

/** Clip every element to [−limit, limit] (the seed's np.clip). limit 0 leaves g as it is. */
export function clipElementwise(g: FloatArray, limit: number): void {
  if (limit <= 0) return;
  const arena = residentArena(g);
  if (arena) return arena.x.clip(g.byteOffset, g.length, limit);
  for (let i = 0; i < g.length; i++) {
    const x = g[i];
    if (x > limit) g[i] = limit;
    else if (x < -limit) g[i] = -limit;
  }
}

/** Scale g so that its L2 norm is at most maxNorm (0 = off). Returns the norm before scaling. */
export function clipGlobalNorm(g: FloatArray, maxNorm: number): number {
  return scaleToNorm(g, l2Norm(g), maxNorm);
}

/**
 * clipElementwise(g, limit), then clipGlobalNorm(g, maxNorm): the step's two clips. In WebAssembly the
 * element-wise clip and the norm share one pass over g (the same bits as the two calls).
 */
export function clipGradients(g: FloatArray, limit: number, maxNorm: number): number {
  const arena = limit > 0 ? residentArena(g) : undefined;
  if (!arena) {
    clipElementwise(g, limit);
    return clipGlobalNorm(g, maxNorm);
  }
  return scaleToNorm(g, Math.sqrt(arena.x.clipSumSquares(g.byteOffset, g.length, limit)), maxNorm);
}

/** Scale g, whose L2 norm is norm, to maxNorm when it is larger (0 = off). Returns norm. */
function scaleToNorm(g: FloatArray, norm: number, maxNorm: number): number {
  if (maxNorm > 0 && norm > maxNorm) {
    const scale = maxNorm / norm;
    const arena = residentArena(g);
    if (arena) {
      arena.x.scale(g.byteOffset, g.length, scale);
      return norm;
    }
    for (let i = 0; i < g.length; i++) g[i] *= scale;
  }
  return norm;
}
