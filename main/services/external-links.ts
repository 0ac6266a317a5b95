// Which web pages the app may open in the browser (shell.openExternal): the project's own and the
// pages it credits, nothing else, so a page script or an injected link cannot launch arbitrary URLs.

/** https only, exact host, path under one of these. */
const ALLOWED: readonly { host: string; path: string }[] = [
  { host: 'github.com', path: '/karpathy/char-rnn' },                          // the model this app follows
  { host: 'gist.github.com', path: '/karpathy/d4dee566867f8291f086' },         // min-char-rnn, the seed
  { host: 'huggingface.co', path: '/docs/safetensors' },                        // the export format
  { host: 'github.com', path: '/char-rnn-studio/char-rnn-studio' },            // the app's homepage (Help › README)
];

export function isAllowedExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.port !== '') return false;
  return ALLOWED.some(({ host, path }) => url.hostname === host && (url.pathname === path || url.pathname.startsWith(`${path}/`)));
}
