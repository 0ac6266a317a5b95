#!/usr/bin/env node
// The installed `char-rnn` command: runs the CLI bundle built by `npm run build:cli`.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/cli/char-rnn.cjs', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write(
    'char-rnn: the command-line tool is not built (dist/cli/char-rnn.cjs is missing); ' +
      'run `npm run build:cli` in the package folder, or from a clone use `npm run -s char-rnn -- <command> ...`.\n',
  );
  process.exit(1);
}
createRequire(import.meta.url)(bundle); // the bundle parses process.argv and runs the command
