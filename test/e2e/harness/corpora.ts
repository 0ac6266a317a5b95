// Corpus files the end-to-end tests pick: a good text, and one of each kind the app must refuse.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface Corpora {
  good: string;
  empty: string;
  binary: string;
  invalidUtf8: string;
}

/** A few kilobytes of varied, deterministic English-like text with CRLF line endings, so the report has something to say. */
export function goodText(): string {
  const words = ['the', 'quick', 'brown', 'fox', 'jumps', 'over', 'a', 'lazy', 'dog', 'and', 'then', 'runs', 'far',
    'away', 'into', 'green', 'hills', 'where', 'rivers', 'sing', 'softly', 'under', 'an', 'old', 'moon'];
  let state = 12345;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lines: string[] = [];
  for (let l = 0; l < 400; l++) {
    const n = 6 + Math.floor(next() * 8);
    const line = Array.from({ length: n }, () => words[Math.floor(next() * words.length)]).join(' ');
    lines.push(line.charAt(0).toUpperCase() + line.slice(1) + (next() < 0.3 ? '!' : '.'));
  }
  return lines.join('\r\n') + '\r\n';
}

export async function writeCorpora(folder: string): Promise<Corpora> {
  await mkdir(folder, { recursive: true });
  const files: Corpora = {
    good: join(folder, 'tiny-fables.txt'),
    empty: join(folder, 'empty.txt'),
    binary: join(folder, 'image.bin'),
    invalidUtf8: join(folder, 'latin1.txt'),
  };
  await writeFile(files.good, goodText(), 'utf8');
  await writeFile(files.empty, '');
  const binary = Buffer.alloc(4096);
  for (let i = 0; i < binary.length; i++) binary[i] = (i * 37) % 256;
  await writeFile(files.binary, binary);
  // "café crème" in Latin-1: 0xE9 and 0xE8 are not valid UTF-8 here
  await writeFile(files.invalidUtf8, Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x63, 0x72, 0xe8, 0x6d, 0x65, 0x0a]));
  return files;
}
