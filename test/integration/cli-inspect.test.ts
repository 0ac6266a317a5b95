// `char-rnn inspect-text` and `char-rnn copies` end to end, as a child process running what users run
// (bin/char-rnn.js over the bundle `npm run build:cli` makes): JSON shapes, the mean against `eval`, errors.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ok, runCli, userError } from '../helpers/cli-run.js';

function words(chars: number, seed: number): string {
  const list = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'and', 'saw', 'dog', '"run"', 'far', '(away)', 'from', 'home'];
  let x = seed, text = '';
  while (text.length < chars) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    text += list[(x >>> 16) % list.length] + ((x >>> 9) % 9 === 0 ? '.\n' : ' ');
  }
  return text;
}

let dir = '', corpus = '', text = '', model = '', corpusText = '';

before(async () => {
  const build = spawnSync('npm', ['run', '-s', 'build:cli'], { encoding: 'utf8' });
  assert.equal(build.status, 0, `npm run build:cli: ${build.stderr}`);
  dir = await mkdtemp(join(tmpdir(), 'char-rnn-inspect-'));
  corpus = join(dir, 'corpus.txt');
  text = join(dir, 'text.txt');
  model = join(dir, 'model.ckpt');
  corpusText = words(3000, 7);
  await writeFile(corpus, corpusText);
  await writeFile(text, words(700, 99));
  ok(await runCli(['train', corpus, '--model', 'lstm', '--hidden', '8', '--layers', '2', '--seq-length', '10', '--iterations', '60',
    '--print-every', '0', '--sample-every', '0', '--out', model]), 'train');
});

after(() => rm(dir, { recursive: true, force: true }));

test('inspect-text --json: one object per character, top-k probabilities, and meanNats equal to eval', async () => {
  const run = ok(await runCli(['inspect-text', model, text, '--json', '--top', '3']), 'inspect-text --json');
  const lines = run.stdout.trim().split('\n');
  assert.equal(lines.length, 1, 'one JSON object');
  const got = JSON.parse(lines[0]);
  assert.deepEqual(Object.keys(got).sort(), ['chars', 'meanBits', 'meanNats']);
  const source = words(700, 99);
  assert.equal(got.chars.map((c: { char: string }) => c.char).join(''), source);
  assert.deepEqual(got.chars[0], { char: source[0], surprisalNats: null, top: [] });
  for (const c of got.chars.slice(1)) {
    assert.deepEqual(Object.keys(c).sort(), ['char', 'surprisalNats', 'top']);
    assert.equal(c.top.length, 3);
    assert.ok(c.top[0].p >= c.top[1].p && c.top[1].p >= c.top[2].p, 'best first');
    assert.ok(c.surprisalNats > 0);
    // a character that was the top prediction has surprisal −log of that probability
    if (c.top[0].char === c.char) assert.ok(Math.abs(c.surprisalNats + Math.log(c.top[0].p)) < 1e-5);
  }
  const evalRun = JSON.parse(ok(await runCli(['eval', model, text, '--json']), 'eval').stdout);
  assert.equal(got.meanNats, evalRun.natsPerChar, 'meanNats is exactly char-rnn eval');
  assert.equal(got.meanBits, evalRun.bitsPerChar);
  const mean = got.chars.slice(1).reduce((s: number, c: { surprisalNats: number }) => s + c.surprisalNats, 0) / (got.chars.length - 1);
  assert.ok(Math.abs(mean - got.meanNats) < 1e-5, 'the per-character values average to the mean');
});

test('inspect-text prints a table with --unit activations; the lstm\'s c and h differ', async () => {
  const h = ok(await runCli(['inspect-text', model, text, '--unit', '1:5']), 'inspect-text --unit');
  const lines = h.stdout.trim().split('\n');
  assert.match(lines[0], /^pos\tchar\tbits\th\[1:5\]\texpected \(top 5\)$/);
  assert.equal(lines.length, 1 + words(700, 99).length + 1);
  assert.match(lines[2], /^1\t\S+\t\d+\.\d{3}\t-?\d\.\d{4}\t/);
  assert.match(lines.at(-1)!, /^mean: \d+\.\d{6} nats\/char, \d+\.\d{6} bits\/char over \d+ predicted characters$/);
  assert.ok(lines.at(-1)!.endsWith(`over ${words(700, 99).length - 1} predicted characters`));
  const c = JSON.parse(ok(await runCli(['inspect-text', model, text, '--unit', '1:5', '--state', 'c', '--json']), 'c').stdout);
  const hj = JSON.parse(ok(await runCli(['inspect-text', model, text, '--unit', '1:5', '--json']), 'h').stdout);
  assert.deepEqual(hj.unit, { layer: 1, unit: 5, state: 'h' });
  assert.equal(c.unit.state, 'c');
  assert.ok(hj.chars.every((x: { activation: number }) => Math.abs(x.activation) <= 1));
  assert.notDeepEqual(c.chars.map((x: { activation: number }) => x.activation), hj.chars.map((x: { activation: number }) => x.activation));
});

test('inspect-text refuses a bad unit, an unknown character and a missing file, with one line', async () => {
  userError(await runCli(['inspect-text', model, text, '--unit', '2:0']), 2, /--unit 2:0: the model has 2 layers \(0\.\.1\)/, 'layer');
  userError(await runCli(['inspect-text', model, text, '--unit', '0:8']), 2, /each layer has 8 units/, 'unit');
  userError(await runCli(['inspect-text', model, text, '--unit', 'x']), 2, /--unit must be LAYER:UNIT/, 'syntax');
  userError(await runCli(['inspect-text', model, text, '--top', '0']), 2, /--top must be from 1 to 100/, 'top');
  const alien = join(dir, 'alien.txt');
  await writeFile(alien, 'the cat sat on Zürich');
  userError(await runCli(['inspect-text', model, alien]), 1, /vocabulary lacks: .*"Z"/, 'unknown characters');
  userError(await runCli(['inspect-text', model, join(dir, 'nope.txt')]), 1, /nope\.txt/, 'missing file');
});

test('--skip-unknown: eval and inspect-text leave out the characters the model lacks, say how many, and score the rest', async () => {
  const alien = join(dir, 'alien-skip.txt'), known = join(dir, 'known-skip.txt');
  await writeFile(alien, 'the cat sat on Zürch mat. Zoo dog');
  await writeFile(known, 'the cat sat on rch mat. oo dog'); // the same text without "Z", "ü" and "Z"
  userError(await runCli(['eval', model, alien]), 1, /vocabulary lacks: .*"Z".*--skip-unknown/, 'without the flag: refused');
  const skipping = ok(await runCli(['eval', model, alien, '--skip-unknown', '--json']), 'eval --skip-unknown');
  const scored = JSON.parse(skipping.stdout), plain = JSON.parse(ok(await runCli(['eval', model, known, '--json']), 'eval').stdout);
  assert.equal(scored.skipped, 3);
  assert.equal(scored.natsPerChar, plain.natsPerChar, 'exactly the score of the text without them');
  assert.equal(scored.characters, plain.characters);
  assert.match(skipping.stderr, /skipped 3 characters the model does not know \("Z" \(U\+005A\), "ü" \(U\+00FC\)\)/);
  assert.match(ok(await runCli(['eval', model, alien, '--skip-unknown']), 'eval text').stdout, /over 29 predicted characters, 3 unknown characters skipped\n$/);

  const inspected = JSON.parse(ok(await runCli(['inspect-text', model, alien, '--skip-unknown', '--json']), 'inspect-text --skip-unknown').stdout);
  assert.equal(inspected.skipped, 3);
  assert.equal(inspected.meanNats, plain.natsPerChar);
  assert.equal(inspected.chars.map((c: { char: string }) => c.char).join(''), 'the cat sat on Zürch mat. Zoo dog', 'every character, in order');
  const nulls = inspected.chars.filter((c: { skipped?: boolean }) => c.skipped).map((c: { char: string; surprisalNats: null }) => [c.char, c.surprisalNats]);
  assert.deepEqual(nulls, [['Z', null], ['ü', null], ['Z', null]]);
  assert.match(ok(await runCli(['inspect-text', model, alien, '--skip-unknown']), 'inspect-text table').stdout, /3 unknown characters skipped\n$/);
});

test('copies --json reports the known copied spans; the table names them', async () => {
  const sample = join(dir, 'sample.txt');
  const piece1 = corpusText.slice(1000, 1040), piece2 = corpusText.slice(2000, 2025);
  const content = 'QQQQQQQQQQ' + piece1 + 'XXXXXXXXXXXXXXXXXXXX' + piece2 + 'ZZZZZ';
  await writeFile(sample, content);
  const got = JSON.parse(ok(await runCli(['copies', sample, corpus, '--json']), 'copies --json').stdout);
  assert.deepEqual(Object.keys(got).sort(), ['copiedFraction', 'longest', 'spans']);
  // a span may extend past the pieces where the filler happens to continue the corpus: check containment
  assert.equal(got.spans.length, 2);
  for (const [span, start, piece] of [[got.spans[0], 10, piece1], [got.spans[1], 70, piece2]] as const) {
    assert.ok(span.start <= start && span.start + span.length >= start + piece.length, JSON.stringify(span));
    assert.equal(corpusText.slice(span.corpusOffset, span.corpusOffset + span.length), content.slice(span.start, span.start + span.length));
  }
  assert.equal(got.longest, Math.max(got.spans[0].length, got.spans[1].length));
  assert.ok(Math.abs(got.copiedFraction - (got.spans[0].length + got.spans[1].length) / content.length) < 1e-12);
  const table = ok(await runCli(['copies', sample, corpus, '--min-length', '30']), 'copies').stdout.trim().split('\n');
  assert.equal(table.length, 2, 'one span of 30+ and the summary');
  assert.match(table[0], /^10\t40\t1000\t"/);
  assert.match(table[1], /^1 span of 30\+ characters copied from the corpus; \d+\.\d% of the sample copied, longest 40 characters$/);
  userError(await runCli(['copies', sample, corpus, '--min-length', '5']), 2, /--min-length must be from 12/, 'too short');
  userError(await runCli(['copies', sample, join(dir, 'nope.txt')]), 1, /nope\.txt/, 'missing corpus');
});
