// The damaged safetensors files of the fuzz suite (checkpoint-fuzz.test.ts), generated from a seed: missing,
// extra, misshapen or mistyped tensors, bad offsets, a broken vocabulary or config, non-finite weights, a wrong
// header length, truncation, flipped header bytes, random bytes. Its own file because it knows the safetensors
// layout (an 8-byte length, a JSON header, the data), not the checkpoint's.
import type { Rng } from '../../core/rng.js';
import { exportSafetensors } from '../../core/safetensors.js';
import { MODELS, type Case } from './damaged-checkpoints.js';

/** A safetensors file rebuilt with an edited header over the same data. */
function safetensorsWith(bytes: Uint8Array, edit: (header: Record<string, any>) => void): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const length = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) as Record<string, any>;
  edit(header);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + bytes.length - 8 - length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(bytes.subarray(8 + length), 8 + json.length);
  return out;
}

export function safetensorsCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  const int = (n: number) => rng.nextUint32() % n;
  for (const state of MODELS) {
    const good = exportSafetensors(state);
    const length = Number(new DataView(good.buffer, good.byteOffset).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(good.subarray(8, 8 + length))) as Record<string, any>;
    const names = Object.keys(header).filter((k) => k !== '__metadata__');
    for (const name of names) {
      cases.push({ kind: 'safetensors: missing tensor', bytes: safetensorsWith(good, (h) => { delete h[name]; }) });
      cases.push({ kind: 'safetensors: misshapen tensor', bytes: safetensorsWith(good, (h) => { h[name].shape = [...h[name].shape.slice(0, -1), h[name].shape.at(-1) + 1]; }) });
      if (header[name].shape.length > 1) {
        cases.push({ kind: 'safetensors: misshapen tensor', bytes: safetensorsWith(good, (h) => { h[name].shape = [h[name].shape.reduce((a: number, b: number) => a * b, 1)]; }) });
      }
      cases.push({ kind: 'safetensors: misshapen tensor', bytes: safetensorsWith(good, (h) => { h[name].shape = [...h[name].shape, 1, 2]; }) });
      for (const dtype of ['F16', 'BF16', 'I32', 'U8', 'bogus', 7]) {
        cases.push({ kind: 'safetensors: mistyped tensor', bytes: safetensorsWith(good, (h) => { h[name].dtype = dtype; }) });
      }
      cases.push({ kind: 'safetensors: offsets out of range', bytes: safetensorsWith(good, (h) => { h[name].data_offsets = [0, 1e9]; }) });
      cases.push({ kind: 'safetensors: offsets backwards', bytes: safetensorsWith(good, (h) => { h[name].data_offsets = [h[name].data_offsets[1], h[name].data_offsets[0]]; }) });
      cases.push({ kind: 'safetensors: offsets not numbers', bytes: safetensorsWith(good, (h) => { h[name].data_offsets = ['0', 'x']; }) });
    }
    cases.push({ kind: 'safetensors: extra tensor', bytes: safetensorsWith(good, (h) => { h.Wextra = { ...h[names[0]] }; }) });
    cases.push({ kind: 'safetensors: extra tensor', bytes: safetensorsWith(good, (h) => { h.Wextra = { dtype: 'F32', shape: [1], data_offsets: [0, 4] }; }) });
    cases.push({ kind: 'safetensors: no vocab', bytes: safetensorsWith(good, (h) => { delete h.__metadata__.vocab; }) });
    cases.push({ kind: 'safetensors: vocab not JSON', bytes: safetensorsWith(good, (h) => { h.__metadata__.vocab = '[a'; }) });
    cases.push({ kind: 'safetensors: vocab short', bytes: safetensorsWith(good, (h) => { h.__metadata__.vocab = JSON.stringify(JSON.parse(h.__metadata__.vocab).slice(1)); }) });
    cases.push({ kind: 'safetensors: metadata not strings', bytes: safetensorsWith(good, (h) => { h.__metadata__ = { vocab: ['a'] }; }) });
    cases.push({ kind: 'safetensors: config not JSON', bytes: safetensorsWith(good, (h) => { h.__metadata__.config = '{'; }) });
    // non-finite weights
    for (const value of [NaN, Infinity, -Infinity]) {
      for (let k = 0; k < 4; k++) {
        const bytes = good.slice();
        const dataStart = 8 + length;
        new DataView(bytes.buffer).setFloat32(dataStart + 4 * int((bytes.length - dataStart) / 4), value, true);
        cases.push({ kind: 'safetensors: non-finite weight', bytes });
      }
    }
    // header length wrong, truncation anywhere
    for (const bad of [0n, 1n, BigInt(good.length), 2n ** 63n, 2n ** 64n - 1n]) {
      const bytes = good.slice();
      new DataView(bytes.buffer).setBigUint64(0, bad, true);
      cases.push({ kind: 'safetensors: header length', bytes });
    }
    for (let k = 0; k < 15; k++) cases.push({ kind: 'safetensors: truncated', bytes: good.slice(0, int(good.length)) });
    // flips inside the JSON header that keep it JSON or not
    for (let k = 0; k < 15; k++) {
      const bytes = good.slice();
      bytes[8 + int(length)] ^= 1 << int(7);
      cases.push({ kind: 'safetensors: flipped header byte', bytes });
    }
  }
  for (let k = 0; k < 40; k++) {
    const bytes = new Uint8Array(int(200));
    for (let i = 0; i < bytes.length; i++) bytes[i] = int(256);
    cases.push({ kind: 'safetensors: random bytes', bytes });
  }
  return cases;
}
