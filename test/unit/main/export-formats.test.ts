// Which format `char-rnn export` writes (the output's extension, or --format), and which existing files the
// output guard takes for model files it may replace: our own pages and ONNX files, never another .html or .onnx.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseExportFormat } from '../../../main/cli/convert.js';
import { UsageError } from '../../../main/cli/fail.js';
import { onnxModelBytes } from '../../../main/export/onnx-model.js';
import { SHARE_PAGE_SIGNATURE, sniffModelFile } from '../../../main/files/output-guard.js';
import { trainedModel } from '../../helpers/trained-model.js';

test('the extension chooses the format, case aside; .htm is a web page', () => {
  assert.equal(chooseExportFormat('a/model.ckpt', undefined), 'ckpt');
  assert.equal(chooseExportFormat('model.safetensors', undefined), 'safetensors');
  assert.equal(chooseExportFormat('Kafka Bot.HTML', undefined), 'html');
  assert.equal(chooseExportFormat('bot.htm', undefined), 'html');
  assert.equal(chooseExportFormat('model.onnx', undefined), 'onnx');
});

test('an unknown or missing extension is a usage error that lists the formats', () => {
  for (const out of ['model.txt', 'model', 'model.onnx.bak']) {
    assert.throws(() => chooseExportFormat(out, undefined), (e: unknown) =>
      e instanceof UsageError && /checkpoint \(\.ckpt\), safetensors \(\.safetensors\), web page \(\.html\), ONNX \(\.onnx\), or pass --format/.test(e.message));
  }
});

test('--format wins over the extension, and an unknown one lists the names', () => {
  assert.equal(chooseExportFormat('model.bin', 'onnx'), 'onnx');
  assert.equal(chooseExportFormat('model.ckpt', 'HTML'), 'html');
  assert.equal(chooseExportFormat('model.x', '.safetensors'), 'safetensors');
  assert.throws(() => chooseExportFormat('model.onnx', 'tflite'), /--format "tflite" is not a format; use one of ckpt, safetensors, html, onnx/);
});

const bytes = (s: string) => new TextEncoder().encode(s);

test('the guard knows the pages and ONNX files char-rnn writes, and nothing else of those kinds', () => {
  const page = bytes(`${SHARE_PAGE_SIGNATURE}\n<html lang="en">`);
  assert.equal(sniffModelFile(page, page.length), 'web page');
  for (const other of ['<!DOCTYPE html>\n<html>', '<!doctype html><!-- char-rnn share page -->', '<html><!-- char-rnn share page -->']) {
    assert.equal(sniffModelFile(bytes(other), other.length), 'other', other);
  }
  const onnx = onnxModelBytes(trainedModel('rnn', 1, 8, 1).state, { name: 'x', iteration: 0, valLoss: null });
  assert.equal(sniffModelFile(onnx.subarray(0, 64), onnx.length), 'ONNX');
  const foreign = Uint8Array.from([0x08, 0x07, 0x12, 0x07, ...bytes('pytorch'), 0x1a, 0x03]);
  assert.equal(sniffModelFile(foreign, foreign.length), 'other', 'an ONNX file another tool wrote');
});
