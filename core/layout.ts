// The parameter layout: every tensor of a model as a named, shaped slice of one flat buffer
// (llm.c's ParameterTensors). Parameters, gradients and optimizer state all share it.
import type { ModelConfig } from './config.js';
import { cellDefinition } from './cells/index.js';
import type { LayerTensors } from './cells/cell.js';
import type { FloatArray } from './tensor.js';

export interface TensorSpec {
  readonly name: string;
  readonly shape: readonly number[]; // row-major, numpy's order: a weight is [out, in]
  readonly offset: number;
  readonly size: number;
  readonly isBias: boolean;
}

export interface ParamLayout {
  readonly tensors: readonly TensorSpec[];
  readonly size: number; // total floats
}

export function paramLayout(config: ModelConfig): ParamLayout {
  const cell = cellDefinition(config.cell);
  const H = config.hiddenSize, V = config.vocabSize, GH = cell.gates * H;
  const tensors: TensorSpec[] = [];
  let offset = 0;
  const add = (name: string, shape: number[]) => {
    const size = shape.reduce((a, b) => a * b, 1);
    tensors.push(Object.freeze({ name, shape: Object.freeze(shape), offset, size, isBias: shape.length === 1 }));
    offset += size;
  };
  for (let l = 0; l < config.layers; l++) {
    const names = cell.tensorNames(l);
    add(names.Wx, [GH, l === 0 ? V : H]);
    add(names.Wh, [GH, H]);
    add(names.bx, [GH]);
    if (names.bh) add(names.bh, [GH]);
  }
  add('Why', [V, H]);
  add('by', [V]);
  return Object.freeze({ tensors: Object.freeze(tensors), size: offset });
}

/** Views of each named tensor inside a flat buffer laid out by `layout`. */
export function tensorViews(layout: ParamLayout, buffer: FloatArray): Map<string, FloatArray> {
  if (buffer.length !== layout.size) {
    throw new RangeError(`buffer has ${buffer.length} floats; the layout needs ${layout.size}`);
  }
  return new Map(layout.tensors.map((t) => [t.name, buffer.subarray(t.offset, t.offset + t.size)]));
}

/** The views of one layer's tensors, by the cell's names. */
export function layerTensors(config: ModelConfig, views: Map<string, FloatArray>, layer: number): LayerTensors {
  const names = cellDefinition(config.cell).tensorNames(layer);
  const get = (n: string) => views.get(n)!;
  return { Wx: get(names.Wx), Wh: get(names.Wh), bx: get(names.bx), bh: names.bh ? get(names.bh) : null };
}
