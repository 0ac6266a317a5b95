// Settings: the last hyperparameters, recent files and window bounds, in one validated JSON file in the
// userData folder. Written atomically; a file that does not parse falls back to defaults (kept aside as
// settings.json.corrupt), and a section that does not validate falls back on its own.
import { mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { CheckpointInfo, Hyperparameters, RecentFiles, Settings } from '../contract/api.js';
import { defaultHyperparameters } from '../contract/defaults.js';
import { readStoredHyperparameters } from './stored-hyperparameters.js';
import { writeFileAtomic } from '../files/atomic-write.js';

export const SETTINGS_FILE = 'settings.json';
export const MAX_RECENT = 10;

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized?: boolean;
}

interface StoredSettings {
  version: 1;
  hyperparameters: Hyperparameters;
  /** The hyperparameters were set (an edit, a run) rather than left at the first launch's defaults: Auto is then no longer the default. */
  hyperparametersChosen: boolean;
  recent: RecentFiles;
  windowBounds: WindowBounds | null;
}

const recentCheckpoint = z.object({
  path: z.string().min(1),
  fileName: z.string(),
  iteration: z.number().int().nonnegative(),
  epoch: z.number().int().nonnegative(),
  smoothLoss: z.number().nullable().transform((v) => v ?? NaN),  // JSON keeps NaN as null
  bestValLoss: z.number().nullable(),
  cell: z.enum(['rnn', 'lstm', 'gru']),
  hiddenSize: z.number().int().positive(),
  layers: z.number().int().positive(),
  vocabularySize: z.number().int().positive(),
  savedAt: z.string(),
}).transform((c): CheckpointInfo => ({ ...c, history: [] }));

const recentFiles = z.object({
  corpora: z.array(z.string().min(1)).max(MAX_RECENT),
  checkpoints: z.array(recentCheckpoint).max(MAX_RECENT),
});

const windowBounds = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(200).max(100_000),
  height: z.number().int().min(150).max(100_000),
  maximized: z.boolean().optional(),
}).nullable();

function defaults(): StoredSettings {
  return { version: 1, hyperparameters: defaultHyperparameters(), hyperparametersChosen: false, recent: { corpora: [], checkpoints: [] }, windowBounds: null };
}

export class SettingsService {
  private data: StoredSettings;
  private writing: Promise<void> = Promise.resolve();
  /** Why the file was not used as it was (corrupt, or a section reset), for a log line; null if it was fine. */
  readonly problem: string | null;

  private constructor(readonly path: string, data: StoredSettings, problem: string | null) {
    this.data = data;
    this.problem = problem;
  }

  static async open(userDataDir: string): Promise<SettingsService> {
    await mkdir(userDataDir, { recursive: true });
    const path = join(userDataDir, SETTINGS_FILE);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return new SettingsService(path, defaults(), null); // first run
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('not an object');
    } catch (e) {
      await rename(path, `${path}.corrupt`).catch(() => {});
      return new SettingsService(path, defaults(), `${SETTINGS_FILE} could not be read (${(e as Error).message}); using defaults.`);
    }
    const { data, reset } = readSections(raw as Record<string, unknown>);
    return new SettingsService(path, data, reset.length > 0 ? `${SETTINGS_FILE}: reset ${reset.join(', ')} to defaults.` : null);
  }

  get(): Settings {
    return structuredClone({ hyperparameters: this.data.hyperparameters, recent: this.data.recent });
  }

  get windowBounds(): WindowBounds | null {
    return this.data.windowBounds ? { ...this.data.windowBounds } : null;
  }

  /** Whether the hyperparameters were ever set (the page makes Auto the default for a new text until they are). */
  get hyperparametersChosen(): boolean {
    return this.data.hyperparametersChosen;
  }

  setHyperparameters(h: Hyperparameters): Promise<void> {
    this.data.hyperparameters = structuredClone(h);
    this.data.hyperparametersChosen = true;
    return this.save();
  }

  addRecentCorpus(path: string): Promise<void> {
    const corpora = [path, ...this.data.recent.corpora.filter((p) => p !== path)].slice(0, MAX_RECENT);
    this.data.recent = { ...this.data.recent, corpora };
    return this.save();
  }

  addRecentCheckpoint(info: CheckpointInfo): Promise<void> {
    const entry = { ...info, history: [] };
    const checkpoints = [entry, ...this.data.recent.checkpoints.filter((c) => c.path !== info.path)].slice(0, MAX_RECENT);
    this.data.recent = { ...this.data.recent, checkpoints };
    return this.save();
  }

  /** File › Open Recent › Clear Recent: forget the recent checkpoints and corpora. */
  clearRecent(): Promise<void> {
    this.data.recent = { corpora: [], checkpoints: [] };
    return this.save();
  }

  setWindowBounds(bounds: WindowBounds): Promise<void> {
    const parsed = windowBounds.safeParse(bounds);
    if (!parsed.success) return Promise.resolve();
    this.data.windowBounds = parsed.data;
    return this.save();
  }

  /** Writes one after another, each atomic, the last one with the latest data. */
  private save(): Promise<void> {
    const next = this.writing.then(() =>
      writeFileAtomic(this.path, new TextEncoder().encode(JSON.stringify(this.data, null, 2) + '\n')));
    this.writing = next.catch(() => {});
    return next;
  }
}

function readSections(raw: Record<string, unknown>): { data: StoredSettings; reset: string[] } {
  const data = defaults();
  const reset: string[] = [];
  const h = readStoredHyperparameters(raw.hyperparameters);
  if (h) data.hyperparameters = h;
  else reset.push('hyperparameters');
  // a file from before the flag: stored hyperparameters were someone's choice
  data.hyperparametersChosen = h !== null && raw.hyperparametersChosen !== false;
  const recent = recentFiles.safeParse(raw.recent);
  if (recent.success) data.recent = recent.data;
  else reset.push('recent files');
  const bounds = windowBounds.safeParse(raw.windowBounds ?? null);
  if (bounds.success) data.windowBounds = bounds.data;
  else reset.push('window bounds');
  return { data, reset };
}
