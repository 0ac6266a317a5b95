// A model's weights as safetensors, for numpy and PyTorch users: exported with the layout's tensor
// names plus the vocabulary, and imported from such a file into a fresh training state.
// The container format itself is safetensors-format.ts; the conventions are in docs/checkpoint-format.md.
import { firstNonFinite } from './bytes.js';
import { locateParam } from './checkpoint.js';
import { CELL_TYPES, SEED_TRAINING, validateModelConfig, validateTrainConfig, type CellType, type ModelConfig, type TrainConfig } from './config.js';
import { cellDefinition } from './cells/index.js';
import type { CellDefinition } from './cells/cell.js';
import { CharRnnError, isCharRnnError } from './errors.js';
import { paramLayout } from './layout.js';
import { decodeSafetensors, encodeSafetensors, type NamedTensor, type SafetensorsTensor } from './safetensors-format.js';
import { createTrainingState, type TrainingState } from './trainer.js';
import { modelParams } from './ema.js';
import { Vocabulary } from './vocab.js';

export {
  decodeSafetensors, encodeSafetensors, MAX_SAFETENSORS_HEADER_BYTES,
  type DecodedSafetensors, type NamedTensor, type SafetensorsDtype, type SafetensorsTensor,
} from './safetensors-format.js';

function bad(message: string): never {
  throw new CharRnnError('bad-safetensors', message);
}

/**
 * The model's parameters (the moving average when the run keeps one) under the layout's names (F32, or
 * F64 for a float64 state), with "vocab" and "config" metadata (the model and all training settings).
 */
export function exportSafetensors(state: TrainingState): Uint8Array {
  const layout = paramLayout(state.model);
  const params = modelParams(state);
  const i = firstNonFinite(params);
  if (i >= 0) {
    throw new CharRnnError('diverged', `Cannot export: parameter ${locateParam(layout, i)} is ${params[i]} — ` +
      'training has diverged; export an earlier checkpoint instead.');
  }
  const dtype = params instanceof Float64Array ? 'F64' : 'F32';
  const tensors: NamedTensor[] = layout.tensors.map((t) => ({
    name: t.name, dtype, shape: [...t.shape], data: params.slice(t.offset, t.offset + t.size),
  }));
  return encodeSafetensors(tensors, {
    vocab: JSON.stringify(state.vocab.chars),
    config: JSON.stringify({ model: state.model, training: state.training }),
  });
}

/** The vocabulary from the "vocab" metadata: a JSON array of one-character strings in index order. */
function readVocab(metadata: Record<string, string>): Vocabulary {
  const howTo = 'add __metadata__ {"vocab": json.dumps(chars)} with the characters in index order';
  if (metadata.vocab === undefined) bad(`The safetensors file has no "vocab" metadata, so its characters are unknown; ${howTo}.`);
  let chars: unknown;
  try {
    chars = JSON.parse(metadata.vocab);
  } catch {
    bad(`The safetensors "vocab" metadata is not valid JSON; ${howTo}.`);
  }
  if (!Array.isArray(chars) || chars.some((c) => typeof c !== 'string')) {
    bad(`The safetensors "vocab" metadata is not a JSON array of strings; ${howTo}.`);
  }
  try {
    return new Vocabulary(chars as string[]);
  } catch (e) {
    if (isCharRnnError(e)) bad(`The safetensors "vocab" metadata is unusable: ${e.message}`);
    throw e;
  }
}

/** Each cell type that this build can run, with its definition. */
function availableCells(): [CellType, CellDefinition][] {
  const cells: [CellType, CellDefinition][] = [];
  for (const cell of CELL_TYPES) {
    try { cells.push([cell, cellDefinition(cell)]); } catch { /* not in this build */ }
  }
  return cells;
}

function layerNames(def: CellDefinition, layer: number): string[] {
  const n = def.tensorNames(layer);
  return n.bh ? [n.Wx, n.Wh, n.bx, n.bh] : [n.Wx, n.Wh, n.bx];
}

/** Cell type, layers and hidden size from the tensor names and shapes (the vocabulary gives the rest). */
function inferModel(tensors: Map<string, SafetensorsTensor>, vocabSize: number): ModelConfig {
  const cells = availableCells();
  const match = cells.find(([, def]) => layerNames(def, 0).every((n) => tensors.has(n)));
  if (!match) {
    const expected = cells.map(([cell, def]) => `${layerNames(def, 0).join(', ')} (${cell})`).join(' or ');
    bad(`The safetensors file holds no recurrent layer this app knows: expected ${expected}, ` +
      `found ${[...tensors.keys()].join(', ') || 'no tensors'}.`);
  }
  const [cell, def] = match;
  let layers = 0;
  while (tensors.has(def.tensorNames(layers).Wx)) layers++;
  const whName = def.tensorNames(0).Wh;
  const wh = tensors.get(whName)!;
  const hiddenSize = wh.shape.length === 2 ? wh.shape[1] : 0;
  if (wh.shape.length !== 2 || wh.shape[0] !== def.gates * hiddenSize) {
    const article = cell === 'gru' ? 'a' : 'an'; // "an rnn", "an lstm", "a gru"
    bad(`Tensor "${whName}" has shape [${wh.shape.join(', ')}]; ${article} ${cell}'s recurrent weights are [${def.gates > 1 ? `${def.gates}·` : ''}H, H].`);
  }
  const why = tensors.get('Why');
  if (why && why.shape.length === 2 && why.shape[0] !== vocabSize) {
    bad(`The "vocab" metadata lists ${vocabSize} characters but Why has ${why.shape[0]} rows (one per character); ` +
      'save the vocabulary the weights were trained with.');
  }
  try {
    return validateModelConfig({ cell, vocabSize, hiddenSize, layers });
  } catch (e) {
    if (isCharRnnError(e)) bad(`The safetensors weights describe an unusable model: ${e.message}`);
    throw e;
  }
}

/** A column vector [n, 1] (numpy's habit for biases) is accepted where the layout has [n]. */
function shapeFits(got: readonly number[], want: readonly number[]): boolean {
  if (got.length === want.length) return got.every((d, i) => d === want[i]);
  return want.length === 1 && got.length === 2 && got[0] === want[0] && got[1] === 1;
}

/** The training config stored in "config" metadata, if it is there and valid; else the seed's. */
function storedTraining(metadata: Record<string, string>): TrainConfig {
  try {
    const stored = JSON.parse(metadata.config ?? 'null')?.training;
    if (typeof stored === 'object' && stored !== null) return validateTrainConfig({ ...SEED_TRAINING, ...stored });
  } catch { /* absent, not JSON or invalid: fall back */ }
  return SEED_TRAINING;
}

/**
 * A fresh training state (new optimizer state, iteration 0, zero hidden state, float32) whose
 * parameters come from a safetensors file with the layout's tensor names and "vocab" metadata.
 */
export function importSafetensors(bytes: Uint8Array, training?: Partial<TrainConfig>): TrainingState {
  const { tensors, metadata } = decodeSafetensors(bytes);
  const vocab = readVocab(metadata);
  const model = inferModel(tensors, vocab.size);
  const layout = paramLayout(model);
  const modelText = `a ${model.layers}-layer ${model.cell} with hidden size ${model.hiddenSize} and ${model.vocabSize} characters`;
  const known = new Set(layout.tensors.map((t) => t.name));
  for (const name of tensors.keys()) {
    if (!known.has(name)) bad(`Unexpected tensor "${name}" in the safetensors file: ${modelText} has only ${[...known].join(', ')}.`);
  }
  const params = new Float32Array(layout.size);
  for (const spec of layout.tensors) {
    const t = tensors.get(spec.name);
    if (!t) bad(`The safetensors file lacks tensor "${spec.name}", which ${modelText} needs.`);
    if (!shapeFits(t.shape, spec.shape)) {
      bad(`Tensor "${spec.name}" has shape [${t.shape.join(', ')}]; ${modelText} needs [${spec.shape.join(', ')}].`);
    }
    const i = firstNonFinite(t.data);
    if (i >= 0) bad(`Tensor ${locateParam(layout, spec.offset + i)} is ${t.data[i]} in the safetensors file; the weights are unusable.`);
    params.set(t.data, spec.offset); // F64 → F32 rounds to nearest
  }
  const f32Overflow = firstNonFinite(params);
  if (f32Overflow >= 0) bad(`Parameter ${locateParam(layout, f32Overflow)} is too large for float32; the weights are unusable.`);
  // Keys given as undefined (an unset CLI option) keep the stored value rather than erasing it.
  const overrides = Object.fromEntries(Object.entries(training ?? {}).filter(([, v]) => v !== undefined));
  const state = createTrainingState(model, validateTrainConfig({ ...storedTraining(metadata), ...overrides }), vocab, 'f32');
  state.params.set(params);
  state.emaParams?.set(params); // an average the run keeps starts from the imported weights
  return state;
}
