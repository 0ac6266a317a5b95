// The size rule of the project: no tracked source file over 300 lines, so each stays one job that can be read
// at once. Left out: the AssemblyScript kernels (wasm/assembly/, one module the compiler takes whole) and files
// .gitattributes marks `linguist-generated` (core/kernels/wasm-bytes.ts: base64 of the built kernels).
// `node scripts/check-file-sizes.mjs [DIR]` checks the git checkout in DIR; it names each file over and exits 1.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAX_LINES = 300;
const SOURCE = /\.(ts|mts|svelte|js|mjs|cjs)$/;
const KERNELS = /^wasm\/assembly\//;

function git(root, args) {
  const r = spawnSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${root}: ${(r.stderr || r.error?.message || '').trim()}`);
  return r.stdout;
}

/** The tracked source files of the checkout at `root` that are over MAX_LINES, with their line counts, longest first. */
export function oversizedFiles(root) {
  const files = git(root, ['ls-files', '-z']).split('\0').filter((f) => SOURCE.test(f) && !KERNELS.test(f));
  if (files.length === 0) return [];
  // `git check-attr -z` answers in triples: path, attribute, value
  const attrs = git(root, ['check-attr', '-z', 'linguist-generated', '--', ...files]).split('\0');
  const generated = new Set();
  for (let i = 0; i + 2 < attrs.length; i += 3) if (attrs[i + 2] === 'set' || attrs[i + 2] === 'true') generated.add(attrs[i]);
  const over = [];
  for (const file of files) {
    if (generated.has(file)) continue;
    const text = readFileSync(join(root, file), 'utf8');
    const lines = text.length === 0 ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    if (lines > MAX_LINES) over.push({ file, lines });
  }
  return over.sort((a, b) => b.lines - a.lines);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const over = oversizedFiles(root);
  for (const { file, lines } of over) console.log(`${file}: ${lines} lines (over ${MAX_LINES}: split it by its jobs)`);
  console.log(over.length === 0 ? `no source file over ${MAX_LINES} lines` : `${over.length} source file${over.length === 1 ? '' : 's'} over ${MAX_LINES} lines`);
  process.exit(over.length === 0 ? 0 : 1);
}
