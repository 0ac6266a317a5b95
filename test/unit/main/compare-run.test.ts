// "Add run to chart…": main reads an earlier checkpoint's history for the chart, and only a run of the same text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEED_MODEL, SEED_TRAINING } from '../../../core/config.js';
import { serializeCheckpoint } from '../../../core/checkpoint.js';
import { createTrainingState } from '../../../core/trainer.js';
import { Vocabulary } from '../../../core/vocab.js';
import { CheckpointService } from '../../../main/services/checkpoints.js';
import type { Dialogs } from '../../../main/services/dialogs.js';
import type { SettingsService } from '../../../main/services/settings.js';
import type { TrainingSession } from '../../../main/services/training-session.js';

const folder = mkdtempSync(join(tmpdir(), 'compare-run-'));

function checkpointOf(name: string, fingerprint: string): string {
  const vocab = Vocabulary.fromText('abc ');
  const state = createTrainingState({ ...SEED_MODEL, hiddenSize: 4, vocabSize: vocab.size }, SEED_TRAINING, vocab);
  state.corpusFingerprint = fingerprint;
  state.iteration = 20;
  state.lossHistory = [{ iter: 10, loss: 1.4, epoch: 0.5, elapsedMs: 12 }, { iter: 20, loss: 1.3, valLoss: 1.35, epoch: 1, elapsedMs: 25 }];
  const path = join(folder, name);
  writeFileSync(path, serializeCheckpoint(state));
  return path;
}

function service(heldFingerprint: string | null, answer: string) {
  const session = { corpusFingerprint: heldFingerprint } as unknown as TrainingSession;
  const settings = { addRecentCheckpoint: () => assert.fail('the recent list is not touched') } as unknown as SettingsService;
  const dialogs = { openFile: async () => answer } as unknown as Dialogs;
  return new CheckpointService(session, settings, dialogs);
}

test('a run of the same text (or with no model held) is read: its history with epochs and times', async () => {
  const path = checkpointOf('same.ckpt', 'text-a');
  for (const held of ['text-a', null]) {
    const run = (await service(held, path).compareDialog())!;
    assert.deepEqual(run, { fileName: 'same.ckpt', iteration: 20, history: [
      { iter: 10, loss: 1.4, epoch: 0.5, elapsedMs: 12 }, { iter: 20, loss: 1.3, valLoss: 1.35, epoch: 1, elapsedMs: 25 }] });
  }
});

test('a run of another text is refused in one line', async () => {
  const path = checkpointOf('other.ckpt', 'text-b');
  await assert.rejects(service('text-a', path).compareDialog(),
    { code: 'bad-checkpoint', message: 'other.ckpt was trained on another text: only runs of the same corpus can be compared.' });
});
