// Where the built pieces are, inside the app folder or app.asar: the layout scripts/build-main.mjs and Vite write.
import { app } from 'electron';
import { join } from 'node:path';

export interface AppPaths {
  renderer: string;   // dist/renderer: index.html and assets, served as app://studio/
  preload: string;
  worker: string;
}

export function appPaths(): AppPaths {
  const root = app.getAppPath();
  return {
    renderer: join(root, 'dist', 'renderer'),
    preload: join(root, 'dist', 'preload', 'index.cjs'),
    worker: join(root, 'dist', 'worker', 'index.cjs'),
  };
}
