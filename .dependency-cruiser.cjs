// The layers, as rules dependency-cruiser checks on every `npm test` (scripts/check-layers.mjs runs it):
// core is pure TypeScript for a browser or a worker; the renderer talks to main only through the contract's
// types; only the Electron glue and the preload touch Electron. docs/architecture.md explains why.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-only-core',
      comment: 'core/ must run in a browser and a worker: no Node module, no npm package, nothing of main/ or renderer/.',
      severity: 'error',
      from: { path: '^core/' },
      to: { pathNot: '^core/' },
    },
    {
      name: 'renderer-no-node',
      comment: 'The renderer runs sandboxed: no Node module.',
      severity: 'error',
      from: { path: '^renderer/src/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'only-the-glue-imports-electron',
      comment: 'Only main/electron and main/preload import electron; the rest runs under plain Node in tests and the CLI.',
      severity: 'error',
      from: { path: '^(core|main|renderer)/', pathNot: '^main/(electron|preload)/' },
      to: { path: '(^|/)node_modules/electron/' },
    },
    {
      name: 'renderer-reaches-main-only-through-the-contract',
      comment: 'Of main/, the renderer imports only main/contract.',
      severity: 'error',
      from: { path: '^renderer/src/' },
      to: { path: '^main/', pathNot: '^main/contract/' },
    },
    {
      name: 'renderer-imports-contract-types',
      comment: 'The renderer imports the contract\'s types; of its code only the two modules that hold no Node: ' +
        'defaults.ts (the default hyperparameters) and api-error.ts (the error codes and the one wire parser).',
      severity: 'error',
      from: { path: '^renderer/src/' },
      to: { path: '^main/contract/', pathNot: '^main/contract/(defaults|api-error)\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'renderer-shared-contract-code-stays-pure',
      comment: 'What the renderer bundles from main/contract imports only core/ and main/contract (types) itself.',
      severity: 'error',
      from: { path: '^main/contract/(defaults|api-error)\\.ts$' },
      to: { pathNot: '^(core|main/contract)/' },
    },
    {
      name: 'imports-resolve',
      comment: 'An import the checker cannot follow could hide a broken rule (svelte/internal is the compiler\'s own).',
      severity: 'error',
      from: { path: '^(core|main|renderer)/' },
      to: { couldNotResolve: true, pathNot: '^svelte/internal/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.svelte', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
