// File dialogs as an interface: Electron's dialog module in the app, a stub in tests and the e2e harness.

export interface FileFilter {
  name: string;
  extensions: string[];      // without dots
}

export interface OpenFileOptions {
  title: string;
  filters: FileFilter[];
}

export interface SaveFileOptions {
  title: string;
  defaultName: string;       // a file name, no folder
  filters: FileFilter[];
}

export interface Dialogs {
  /** The chosen file's absolute path, or null when cancelled. */
  openFile(options: OpenFileOptions): Promise<string | null>;
  saveFile(options: SaveFileOptions): Promise<string | null>;
}

export const CORPUS_FILTERS: FileFilter[] = [
  { name: 'Text', extensions: ['txt', 'md', 'text', 'csv', 'json', 'xml', 'html', 'tex', 'srt'] },
  { name: 'All files', extensions: ['*'] },
];

export const CHECKPOINT_FILTER: FileFilter = { name: 'Char-RNN checkpoint', extensions: ['ckpt'] };
export const SAFETENSORS_FILTER: FileFilter = { name: 'safetensors', extensions: ['safetensors'] };
