// Buffers: the engine runs in float32 for speed or float64 for gradient checks, one type per model.

export type Precision = 'f32' | 'f64';
export type FloatArray = Float32Array | Float64Array;

export function allocFloats(precision: Precision, length: number): FloatArray {
  return precision === 'f64' ? new Float64Array(length) : new Float32Array(length);
}

export function precisionOf(a: FloatArray): Precision {
  return a instanceof Float64Array ? 'f64' : 'f32';
}
