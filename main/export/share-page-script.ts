// The shared page's bundled script. The CLI and Electron bundles carry it inlined (scripts/build-cli.mjs and
// build-main.mjs define __SHARE_PAGE_SCRIPT__); run from source (tsx: tests, npm run bench) it is built
// here, once, with esbuild, a dev dependency that only a source checkout has.
declare const __SHARE_PAGE_SCRIPT__: string | undefined;

let built: Promise<string> | null = null;

/** The inlined script, named once so the bundle holds one copy; undefined from source, where nothing defines it. */
function inlinedScript(): string | undefined {
  try {
    return __SHARE_PAGE_SCRIPT__;
  } catch {
    return undefined; // ReferenceError: not a bundle
  }
}

export function sharePageScript(): Promise<string> {
  const inlined = inlinedScript();
  if (inlined !== undefined) return Promise.resolve(inlined);
  built ??= (async () => {
    const builder = '../../scripts/build-share-page.mjs'; // a variable: bundlers must not follow it
    const { buildSharePageScript } = await import(builder) as { buildSharePageScript(): Promise<string> };
    return buildSharePageScript();
  })();
  return built;
}
