// The shared web page: one self-contained HTML file with the model (JSON, weights in base64), the engine's
// sampler (the bundled script) and a small form. Its CSP allows only its own inline script and style, by
// hash, and WebAssembly ('wasm-unsafe-eval', for the engine's kernels): it makes no request, ever.
import { createHash } from 'node:crypto';
import { encodeSharedModel, type SharedModelInfo } from '../../core/export/shared-model.js';
import { formatBytes } from '../../core/text.js';
import type { TrainingState } from '../../core/trainer.js';
import { SHARE_PAGE_SIGNATURE } from '../files/output-guard.js';
import { SHARE_PAGE_STYLE } from './share-page-style.js';

export interface ShareInfo {
  name: string;
  textName: string | null;
  valLoss: number | null; // nats per char
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

const CELL_NAMES = { rnn: 'RNN', lstm: 'LSTM', gru: 'GRU' } as const;

/** The facts line under the title: "LSTM · 2 layers × 128 · 65 characters · 218,433 parameters (853.3 KB)". */
function factsHtml(info: SharedModelInfo): string {
  const facts = [
    `${CELL_NAMES[info.cell]} · ${info.layers} layer${info.layers === 1 ? '' : 's'} × ${info.hiddenSize}`,
    `${info.vocabSize} characters`,
    `${info.parameters.toLocaleString('en-US')} parameters (${formatBytes(info.parameters * 4)})`,
    `iteration ${info.iteration.toLocaleString('en-US')}`,
  ];
  const trained = info.textName ? `Trained on <b>${escapeHtml(info.textName)}</b>` : 'Training text not recorded';
  const loss = info.valLoss === null ? 'no validation loss recorded'
    : `validation loss <b>${info.valLoss.toFixed(4)}</b> nats/char (${(info.valLoss / Math.LN2).toFixed(3)} bits)`;
  return `<p class="facts">${facts.map(escapeHtml).join(' · ')}</p>\n<p class="facts">${trained} · ${loss}</p>`;
}

export function sharePageHtml(state: TrainingState, about: ShareInfo, script: string): string {
  const json = encodeSharedModel(state.model, state.params, state.vocab, { ...about, iteration: state.iteration });
  const { format: _f, vocab: _v, weights: _w, ...info } = json;
  // "<" never appears raw inside the data block, so no character of the vocabulary can close it.
  const data = JSON.stringify(json).replace(/</g, '\\u003c');
  const csp = `default-src 'none'; script-src ${cspHash(script)} 'wasm-unsafe-eval'; style-src ${cspHash(SHARE_PAGE_STYLE)}; ` +
    "base-uri 'none'; form-action 'none'";
  const title = escapeHtml(about.name);
  return `${SHARE_PAGE_SIGNATURE}
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="Char-RNN Studio">
<title>${title} · a character-level language model</title>
<style>${SHARE_PAGE_STYLE}</style>
</head>
<body>
<main>
<header>
<h1>${title}</h1>
${factsHtml(info)}
</header>
<form id="controls" autocomplete="off">
<label class="wide">Start with <textarea id="prime" rows="2" spellcheck="false" placeholder="(optional) text the model continues"></textarea></label>
<label>Length <input id="length" inputmode="numeric" value="500"></label>
<label>Temperature <input id="temperature" inputmode="decimal" value="1"></label>
<label>Top-k <input id="top-k" inputmode="numeric" value="0" title="0: every character"></label>
<div class="seed"><label>Seed <input id="seed" inputmode="numeric" value="1"></label><button type="button" id="new-seed" title="A random seed" aria-label="A random seed">⟳</button></div>
<div class="actions"><button id="generate" type="submit" disabled>Generate</button><button type="button" id="copy" class="quiet" hidden>Copy</button></div>
</form>
<p id="status" role="status"></p>
<pre id="output" aria-live="polite" hidden></pre>
<footer>The same settings give the same text as <code>char-rnn sample</code>. Top-k 0 keeps every character; lower temperatures are more conservative. Made with Char-RNN Studio; nothing leaves this page.</footer>
</main>
<script type="application/json" id="char-rnn-model">${data}</script>
<script>${script}</script>
</body>
</html>
`;
}
