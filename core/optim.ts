// Optimizers and gradient clipping: each one loop over the flat parameter buffer.
import type { OptimizerName } from './config.js';
import type { FloatArray } from './tensor.js';

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

/** The L2 norm of a gradient buffer. */
export function l2Norm(g: FloatArray): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i] * g[i];
  return Math.sqrt(s);
}

/** Clip every element to [−limit, limit] (the seed's np.clip). limit 0 leaves g as it is. */
export function clipElementwise(g: FloatArray, limit: number): void {
  if (limit <= 0) return;
  for (let i = 0; i < g.length; i++) {
    const x = g[i];
    if (x > limit) g[i] = limit;
    else if (x < -limit) g[i] = -limit;
  }
}

/** Scale g so that its L2 norm is at most maxNorm (0 = off). Returns the norm before scaling. */
export function clipGlobalNorm(g: FloatArray, maxNorm: number): number {
  const norm = l2Norm(g);
  if (maxNorm > 0 && norm > maxNorm) {
    const scale = maxNorm / norm;
    for (let i = 0; i < g.length; i++) g[i] *= scale;
  }
  return norm;
}
