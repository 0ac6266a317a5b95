// The layers, as rules dependency-cruiser checks on every `npm test` (scripts/check-layers.mjs runs it):
// core is pure TypeScript for a browser or a worker; the renderer talks to main only through the contract's
// types; only the Electron glue and the preload touch Electron. docs/architecture.md explains why.

/** A forbidden import: from files matching `from` to what matches `to`. */
const never = (name, comment, from, to) => ({ name, comment, severity: 'error', from, to });

// The contract modules the renderer may bundle as code: no Node inside, checked below.
const SHARED_CONTRACT = '^main/contract/(defaults|api-error)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    never('core-imports-only-core', 'core/ must run in a browser and a worker: no Node module, no npm package, nothing of main/ or renderer/.',
      { path: '^core/' }, { pathNot: '^core/' }),
    never('renderer-no-node', 'The renderer runs sandboxed: no Node module.',
      { path: '^renderer/src/' }, { dependencyTypes: ['core'] }),
    never('only-the-glue-imports-electron', 'Only main/electron and main/preload import electron; the rest runs under plain Node in tests and the CLI.',
      { path: '^(core|main|renderer)/', pathNot: '^main/(electron|preload)/' }, { path: '(^|/)node_modules/electron/' }),
    never('renderer-reaches-main-only-through-the-contract', 'Of main/, the renderer imports only main/contract.',
      { path: '^renderer/src/' }, { path: '^main/', pathNot: '^main/contract/' }),
    never('renderer-imports-contract-types', 'The renderer imports the contract\'s types; of its code only defaults.ts ' +
      '(the default hyperparameters) and api-error.ts (the error codes and the one wire parser).',
      { path: '^renderer/src/' }, { path: '^main/contract/', pathNot: SHARED_CONTRACT, dependencyTypesNot: ['type-only'] }),
    never('renderer-shared-contract-code-stays-pure', 'What the renderer bundles from main/contract imports only core/ and main/contract.',
      { path: SHARED_CONTRACT }, { pathNot: '^(core|main/contract)/' }),
    never('no-circular', 'Files that import each other (types too) cannot be read, tested or moved one at a time: one of them ' +
      'holds what both need, or a third file does. No folder is left out.',
      { path: '^(core|main|renderer)/' }, { circular: true }),
    never('imports-resolve', 'An import the checker cannot follow could hide a broken rule (svelte/internal is the compiler\'s own).',
      { path: '^(core|main|renderer)/' }, { couldNotResolve: true, pathNot: '^svelte/internal/' }),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.svelte', '.js', '.mjs', '.cjs', '.json'] },
  },
};
