// The shared page's bundled script. The CLI and Electron bundles carry it inlined (scripts/build-cli.mjs and
// build-main.mjs define __SHARE_PAGE_SCRIPT__); run from source (tsx: tests, npm run bench) it is built
// here, once, with esbuild, a dev dependency that only a source checkout has.
declare const __SHARE_PAGE_SCRIPT__: string | undefined;

let built: Promise<string> | null = null;

export function sharePageScript(): Promise<string> {
  if (typeof __SHARE_PAGE_SCRIPT__ === 'string') return Promise.resolve(__SHARE_PAGE_SCRIPT__);
  built ??= (async () => {
    const builder = '../../scripts/build-share-page.mjs'; // a variable: bundlers must not follow it
    const { buildSharePageScript } = await import(builder) as { buildSharePageScript(): Promise<string> };
    return buildSharePageScript();
  })();
  return built;
}
