// Where autosaves go, and the record of the latest one (which corpus and settings it belongs to), so a
// crashed or quit session can be restored, also after the app restarts. A checkpoint file per run; the
// record is written only after its checkpoint is complete, so they always match.
import { mkdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { CheckpointInfo, Hyperparameters } from '../contract/api.js';
import { readStoredHyperparameters } from './stored-hyperparameters.js';
import { writeFileAtomic } from '../files/atomic-write.js';

export interface AutosaveRecord {
  checkpointPath: string;
  corpusPath: string;
  hyperparameters: Hyperparameters;
  iteration: number;
  savedAt: string;
  loss?: number | null;         // for the banner that offers it (records from before lack it)
  bestValLoss?: number | null;
}

const RECORD_FILE = 'latest.json';

const recordShape = z.object({
  checkpointPath: z.string().min(1),
  corpusPath: z.string().min(1),
  hyperparameters: z.unknown(),
  iteration: z.number().int().nonnegative(),
  savedAt: z.string(),
  loss: z.number().nullable().optional(),
  bestValLoss: z.number().nullable().optional(),
});

export class AutosaveStore {
  constructor(readonly folder: string) {}

  /** A fresh checkpoint path for a run that starts now. */
  async pathForNewRun(now = new Date()): Promise<string> {
    await mkdir(this.folder, { recursive: true });
    const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
    return join(this.folder, `autosave-${stamp}-${process.pid}.ckpt`);
  }

  /** The latest autosave whose checkpoint still exists, or null. */
  async latest(): Promise<AutosaveRecord | null> {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(join(this.folder, RECORD_FILE), 'utf8'));
    } catch {
      return null;
    }
    const parsed = recordShape.safeParse(raw);
    const hyperparameters = parsed.success ? readStoredHyperparameters(parsed.data.hyperparameters) : null;
    if (!parsed.success || !hyperparameters) return null;
    const exists = await stat(parsed.data.checkpointPath).then((s) => s.isFile(), () => false);
    return exists ? { ...parsed.data, hyperparameters } : null;
  }

  /** Record a finished autosave; the previous run's autosave file goes once this one is recorded. */
  async record(info: CheckpointInfo, corpusPath: string, hyperparameters: Hyperparameters): Promise<AutosaveRecord> {
    const previous = await this.latest();
    const last = info.history.at(-1);
    const loss = last ? (last.raw ?? last.loss) : info.smoothLoss;
    const record: AutosaveRecord = {
      checkpointPath: info.path, corpusPath, hyperparameters, iteration: info.iteration, savedAt: info.savedAt,
      loss: Number.isFinite(loss) ? loss : null, bestValLoss: info.bestValLoss,
    };
    await mkdir(this.folder, { recursive: true });
    await writeFileAtomic(join(this.folder, RECORD_FILE), new TextEncoder().encode(JSON.stringify(record, null, 2)));
    if (previous && previous.checkpointPath !== record.checkpointPath) await unlink(previous.checkpointPath).catch(() => {});
    return record;
  }
}
