// The texts of the honest quality bench: several sizes and kinds, each built from files this machine has
// (Debian packages) or the project's shared corpora. The bench lists them, with where they came from, in its
// output; a text whose source is absent is skipped with a note. These are the texts the presets and the Auto
// rule were tuned on: kafka-story among several, never alone.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BenchText {
  name: string;
  kind: string;
  source: string;        // where it comes from, as the table lists it
  /** The text, or null with why it is absent. */
  build(): { text: string } | { missing: string };
}

const root = fileURLToPath(new URL('..', import.meta.url));
const LICENSES = '/usr/share/common-licenses';
const PYTHON = '/usr/lib/python3.11';
const FORTUNES = '/usr/share/games/fortunes';

const read = (path: string) => readFileSync(path, 'utf8');

/** Files concatenated in name order until `limit` characters. */
function concatenated(dir: string, keep: (name: string) => boolean, limit: number): string {
  let text = '';
  for (const name of readdirSync(dir).filter(keep).sort()) {
    if (text.length >= limit) break;
    try { text += read(join(dir, name)); } catch { /* not a readable text file */ }
  }
  return text.slice(0, limit);
}

export const BENCH_TEXTS: readonly BenchText[] = [
  {
    name: 'kafka-story', kind: 'prose (novella)', source: '../shared/corpora/kafka-story.txt (Metamorphosis, story only)',
    build: () => {
      const path = `${root}../shared/corpora/kafka-story.txt`;
      return existsSync(path) ? { text: read(path) } : { missing: `${path} is absent` };
    },
  },
  {
    name: 'gpl-3', kind: 'legal text, small', source: `${LICENSES}/GPL-3 (base-files)`,
    build: () => existsSync(`${LICENSES}/GPL-3`) ? { text: read(`${LICENSES}/GPL-3`) } : { missing: `${LICENSES}/GPL-3 is absent` },
  },
  {
    name: 'licenses', kind: 'legal text', source: `${LICENSES}: every distinct licence, in name order (base-files)`,
    build: () => {
      if (!existsSync(LICENSES)) return { missing: `${LICENSES} is absent` };
      // GPL, LGPL and GFDL are links to the latest version: read each text once
      const seen = new Set<string>();
      let text = '';
      for (const name of readdirSync(LICENSES).sort()) {
        const body = read(join(LICENSES, name));
        if (!seen.has(body)) { seen.add(body); text += body; }
      }
      return { text };
    },
  },
  {
    name: 'python-1m', kind: 'source code', source: `${PYTHON}/*.py in name order, the first 1,000,000 characters (libpython3.11-stdlib)`,
    build: () => existsSync(PYTHON) ? { text: concatenated(PYTHON, (n) => n.endsWith('.py'), 1_000_000) } : { missing: `${PYTHON} is absent` },
  },
  {
    name: 'fortunes', kind: 'quotations', source: `${FORTUNES}/* (apt-get install fortunes), the data files, not the .dat indexes`,
    build: () => existsSync(FORTUNES)
      ? { text: concatenated(FORTUNES, (n) => !n.includes('.') && !n.startsWith('off'), 3_000_000) }
      : { missing: `${FORTUNES} is absent (apt-get install fortunes)` },
  },
];

export function findBenchText(name: string): BenchText | undefined {
  return BENCH_TEXTS.find((t) => t.name === name);
}
