// Inverted dropout's two kernels, the same bits as core/dropout.ts: the mask's draws are
// core/rng.ts's mix32 (splitmix32 at a counter), in u32 arithmetic that wraps as Math.imul does.

// @ts-ignore: decorator
@inline function mix32(key: u32, counter: u32): u32 {
  let z: u32 = key + (counter + 1) * 0x9e3779b9;
  z = (z ^ (z >>> 16)) * 0x85ebca6b;
  z = (z ^ (z >>> 13)) * 0xc2b2ae35;
  return z ^ (z >>> 16);
}

/**
 * dropped = out ⊙ mask over [T, B, H] (row t·B + b), mask[i] = scale when the draw of element
 * (t, b, j) is at least threshold, else 0; stream b's draws are keyed by firstStream + b.
 */
export function dropoutForward(dropped: usize, mask: usize, out: usize, T: i32, B: i32, H: i32,
                               threshold: u32, scale: f32, layerKey: u32, firstStream: i32): void {
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const streamKey = mix32(layerKey, <u32>(firstStream + b));
      const o = (<usize>(t * B + b) * <usize>H) << 2;
      for (let j = 0; j < H; j++) {
        const m: f32 = mix32(streamKey, <u32>(t * H + j)) >= threshold ? scale : 0;
        const at = o + (<usize>j << 2);
        store<f32>(mask + at, m);
        store<f32>(dropped + at, load<f32>(out + at) * m);
      }
    }
  }
}

/** d[i] *= mask[i] for n floats. */
export function multiplyInPlace(d: usize, mask: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    v128.store(d + at, f32x4.mul(v128.load(d + at), v128.load(mask + at)));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    store<f32>(d + at, load<f32>(d + at) * load<f32>(mask + at));
  }
}
