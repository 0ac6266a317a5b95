// Little-endian byte helpers shared by the checkpoint and safetensors formats (no Buffer: core/ runs anywhere).
import type { FloatArray, Precision } from './tensor.js';

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The next multiple of 8 at or above n. */
export function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

export function bytesPerFloat(precision: Precision): number {
  return precision === 'f64' ? 8 : 4;
}

/** Copy a float array into out at offset as little-endian bytes. */
export function writeFloatsLE(out: Uint8Array, offset: number, values: FloatArray): void {
  if (HOST_IS_LITTLE_ENDIAN) {
    out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), offset);
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset);
  const step = values.BYTES_PER_ELEMENT;
  for (let i = 0; i < values.length; i++) {
    if (step === 8) view.setFloat64(offset + i * 8, values[i], true);
    else view.setFloat32(offset + i * 4, values[i], true);
  }
}

/** A new float array (a copy, so the source may be unaligned) of count little-endian floats at offset. */
export function readFloatsLE(bytes: Uint8Array, offset: number, count: number, precision: Precision): FloatArray {
  const out = precision === 'f64' ? new Float64Array(count) : new Float32Array(count);
  if (HOST_IS_LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(bytes.subarray(offset, offset + out.byteLength));
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  for (let i = 0; i < count; i++) {
    out[i] = precision === 'f64' ? view.getFloat64(offset + i * 8, true) : view.getFloat32(offset + i * 4, true);
  }
  return out;
}

export function dataView(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Index of the first NaN or infinity in values, or -1. */
export function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (x - x !== 0) return i; // NaN and ±Infinity are the only values where x − x is not 0
  }
  return -1;
}
