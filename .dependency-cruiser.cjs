/**
 * The layers of src/, checked by dependency-cruiser (npm run lint): the engine (src/core) depends
 * on no host; the page's components (src/ui) talk to workers only through src/app; no cycles.
 * Type-only imports count (tsPreCompilationDeps): a type from a layer is a dependency on it.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'src/core is the engine: it runs in the page, in workers and in Node, and imports none of their hosts.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/(app|ui|workers|node|cli)/' },
    },
    {
      name: 'ui-not-workers',
      comment: 'Components reach workers through src/app, never directly.',
      severity: 'error',
      from: { path: '^src/ui/' },
      to: { path: '^src/workers/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles anywhere in src.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-circular-types',
      comment: 'Every cycle, also one through a type-only import (erased when compiled): a warning, to untangle when the files are next touched.',
      severity: 'warn',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.svelte', '.json'] },
  },
};
