// Checkpoints from the user's side: save as, open, export (native, safetensors, web page, ONNX), and the recent list.
// The worker reads and writes the files (it holds the model); this service asks where and remembers.
import { basename, extname } from 'node:path';
import type { CheckpointInfo, ComparedRun, ExportFormat } from '../contract/api.js';
import { readCheckpointFile } from '../files/model-files.js';
import { checkOutputPath } from '../files/output-guard.js';
import type { FileGrants } from './file-grants.js';
import { ApiError, toApiError } from '../contract/api-error.js';
import { CHECKPOINT_FILTER, SAFETENSORS_FILTER, type Dialogs } from './dialogs.js';
import { EXPORT_DIALOGS } from './file-exports.js';
import type { SettingsService } from './settings.js';
import { noModel } from './session-status.js';
import type { TrainingSession } from './training-session.js';

export class CheckpointService {
  constructor(private readonly session: TrainingSession, private readonly settings: SettingsService,
              private readonly dialogs: Dialogs, private readonly grants?: FileGrants) {}

  async saveAs(): Promise<CheckpointInfo | null> {
    if (!this.session.hasModel) throw noModel();
    const path = await this.dialogs.saveFile({ title: 'Save checkpoint', defaultName: this.suggestedName('.ckpt'), filters: [CHECKPOINT_FILTER] });
    if (path === null) return null;
    await this.checkTarget(path);
    return this.saveTo(path);
  }

  /** "Save best as…": the kept best model of the run (its iteration in the suggested name). */
  async saveBestAs(): Promise<CheckpointInfo | null> {
    if (!this.session.hasModel) throw noModel();
    const path = await this.dialogs.saveFile({ title: 'Save the best model', defaultName: this.suggestedName('-best.ckpt'), filters: [CHECKPOINT_FILTER] });
    if (path === null) return null;
    await this.checkTarget(path);
    const info = await this.session.saveBest(path);
    await this.settings.addRecentCheckpoint(info);
    return this.withToken(info);
  }

  async saveTo(path: string): Promise<CheckpointInfo> {
    const info = await this.session.save(path);
    await this.settings.addRecentCheckpoint(info);
    return this.withToken(info);
  }

  async openDialog(): Promise<CheckpointInfo | null> {
    const path = await this.dialogs.openFile({ title: 'Open checkpoint', filters: [CHECKPOINT_FILTER, SAFETENSORS_FILTER] });
    return path === null ? null : this.openPath(path);
  }

  async openPath(path: string): Promise<CheckpointInfo> {
    const info = await this.session.load(path);
    await this.settings.addRecentCheckpoint(info);
    return this.withToken(info);
  }

  /** "Add run to chart…": an earlier run's loss history, read here; the model held and the recent list stay as they are. */
  async compareDialog(): Promise<ComparedRun | null> {
    const path = await this.dialogs.openFile({ title: 'Add a run to the chart', filters: [CHECKPOINT_FILTER] });
    if (path === null) return null;
    const { state } = await readCheckpointFile(path).catch((e: unknown) => { throw toApiError(e); });
    const held = this.session.corpusFingerprint;
    if (held !== null && state.corpusFingerprint !== null && state.corpusFingerprint !== held) {
      throw new ApiError('bad-checkpoint', `${basename(path)} was trained on another text: only runs of the same corpus can be compared.`);
    }
    return { fileName: basename(path), iteration: state.iteration, history: state.lossHistory };
  }

  async exportDialog(format: ExportFormat): Promise<string | null> {
    if (!this.session.hasModel) throw noModel();
    const dialog = EXPORT_DIALOGS[format];
    const path = await this.dialogs.saveFile({ title: dialog.title, defaultName: this.suggestedName(dialog.extension), filters: [dialog.filter] });
    if (path === null) return null;
    await this.checkTarget(path);
    return this.session.exportModel(path, format);
  }

  /**
   * The save dialog has asked before replacing a file (its overwrite prompt): what is left to refuse is
   * the corpus being trained on and any file that is not a checkpoint or safetensors.
   */
  private async checkTarget(path: string): Promise<void> {
    const corpus = this.session.status().corpusPath;
    await checkOutputPath({ out: path, inputs: corpus ? [corpus] : [], force: true }).catch((e: unknown) => { throw toApiError(e); });
  }

  /** What the page gets: the info with the token to open this file again by. */
  private withToken(info: CheckpointInfo): CheckpointInfo {
    return this.grants ? { ...info, token: this.grants.grant(info.path) } : info;
  }

  /** "kafka-iter12000.ckpt", from the corpus (or the opened checkpoint) and the iteration. */
  private suggestedName(extension: string): string {
    const s = this.session.status();
    const from = s.corpusPath ?? s.checkpointPath;
    const stem = from ? basename(from, extname(from)).replace(/-iter\d+$/, '') : 'model';
    return `${stem}-iter${s.iteration}${extension}`;
  }
}
