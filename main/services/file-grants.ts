// The files the page may name: main hands out an opaque token for each path it got itself (a dialog's
// answer, a drop the preload resolved, a recent file main stored, the corpus of a restored autosave),
// and a request is served only for a token it handed out. A page script cannot make main read a path.
import { randomBytes } from 'node:crypto';
import type { FileToken } from '../contract/api.js';
import { ApiError } from '../contract/api-error.js';

export class FileGrants {
  private readonly paths = new Map<FileToken, string>();
  private readonly tokens = new Map<string, FileToken>();

  /** The token for a path main got itself; the same path keeps its token. */
  grant(path: string): FileToken {
    let token = this.tokens.get(path);
    if (token === undefined) {
      token = `file-${randomBytes(16).toString('hex')}`;
      this.tokens.set(path, token);
      this.paths.set(token, path);
    }
    return token;
  }

  /** The path behind a token main handed out; anything else is refused before any file is touched. */
  resolve(token: FileToken, channel: string): string {
    const path = this.paths.get(token);
    if (path === undefined) {
      throw new ApiError('invalid-request', `${channel}: that is not a file this window was given; ` +
        'choose it with Open… or drop it on the window.');
    }
    return path;
  }
}
