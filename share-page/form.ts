// The page's form: prime, length, temperature, top-k, seed → Generate, and the text it gives.
import type { CharRnnApi } from './main.js';

function field(id: string): HTMLInputElement | HTMLTextAreaElement {
  const el = document.getElementById(id);
  if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement)) throw new Error(`the page lacks #${id}`);
  return el;
}

function whole(id: string, label: string): number {
  const text = field(id).value.trim();
  const n = Number(text);
  if (text === '' || !Number.isInteger(n)) throw new Error(`${label} must be a whole number.`);
  return n;
}

export function wireForm(charRnn: CharRnnApi, exact: boolean): void {
  const form = document.getElementById('controls') as HTMLFormElement;
  const output = document.getElementById('output')!;
  const status = document.getElementById('status')!;
  const button = document.getElementById('generate') as HTMLButtonElement;
  const copy = document.getElementById('copy') as HTMLButtonElement;
  status.textContent = exact ? '' : 'This browser cannot run the WebAssembly kernels: the text may differ from char-rnn sample\'s.';

  const generate = () => {
    let prime: string, text: string;
    try {
      prime = field('prime').value;
      const temperature = Number(field('temperature').value);
      if (!Number.isFinite(temperature) || field('temperature').value.trim() === '') throw new Error('Temperature must be a number above 0.');
      text = charRnn.sample({ prime, length: whole('length', 'Length'), temperature, topK: whole('top-k', 'Top-k'), seed: whole('seed', 'Seed') });
    } catch (e) {
      status.textContent = e instanceof Error ? e.message : String(e);
      button.disabled = false;
      return;
    }
    const primed = document.createElement('span');
    primed.className = 'prime';
    primed.textContent = prime;
    output.replaceChildren(primed, document.createTextNode(text.slice(prime.length)));
    output.hidden = false;
    copy.hidden = false;
    status.textContent = '';
    button.disabled = false;
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    button.disabled = true;
    status.textContent = 'Generating…';
    setTimeout(generate, 0); // let "Generating…" paint before a long sample holds the thread
  });
  document.getElementById('new-seed')!.addEventListener('click', () => {
    field('seed').value = String(Math.floor(Math.random() * 2 ** 32));
  });
  copy.addEventListener('click', () => {
    navigator.clipboard?.writeText(output.textContent ?? '').then(
      () => { status.textContent = 'Copied.'; },
      () => { status.textContent = 'The browser did not allow copying; select the text instead.'; });
  });
  button.disabled = false;
}
