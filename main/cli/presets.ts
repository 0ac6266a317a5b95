// `char-rnn presets`: core's preset list, the one the app's form offers, for --preset.
import { PRESETS, presetJson } from '../../core/presets.js';
import type { CliIo } from './io.js';

export function presetsCommand(flags: { json?: boolean }, io: CliIo): void {
  if (flags.json) {
    io.line(JSON.stringify(PRESETS.map(presetJson), null, 2));
    return;
  }
  for (const p of PRESETS) {
    const s = p.settings;
    io.line(`${p.name}: ${s.cell} ${s.hiddenSize}${s.layers > 1 ? ` × ${s.layers} layers` : ''}, batch ${s.batchSize}, ` +
      `seq ${s.seqLength}, ${s.optimizer} ${s.learningRate}, clip ${s.clipValue}${s.clipNorm > 0 ? `, clip norm ${s.clipNorm}` : ''}`);
    io.line(`  ${p.description}`);
  }
}
