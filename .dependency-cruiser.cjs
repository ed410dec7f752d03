/**
 * Module boundaries of the platform, checked by `npm test` (scripts/test.sh) with dependency-cruiser.
 * docs/modules.md explains the rules; in short:
 * - no import cycles anywhere in src/;
 * - a module reaches another only through its public entries: `index.ts` (server side: services, types)
 *   and `contract.ts` (HTTP shapes and the pure rules the browser and other modules' pure code may use);
 *   a `schema.ts` may import another module's `schema.ts` for foreign keys, nothing else may;
 * - the web app imports a module's `contract.ts` and pure files, never its entry, services, routes or tables.
 * What the browser bundle may reach at run time is checked by `.dependency-cruiser-web.cjs`.
 */
/**
 * Files of src/web that only the page tests load (in Node, never bundled): they may read the
 * reference data files and build fixtures with the server's own code.
 */
const WEB_TEST_FILES = '(\\.test\\.tsx?|/test-fixtures\\.ts|/fixtures\\.ts)$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: move what both sides share to where it belongs (docs/modules.md).',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'module-internals',
      severity: 'error',
      comment: 'A module imports another only through its index.ts (server side) or contract.ts (shared, pure).',
      from: { path: '^src/modules/([^/]+)/', pathNot: ['^src/modules/[^/]+/schema\\.ts$'] },
      to: {
        path: '^src/modules/[^/]+/',
        pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/(index|contract)\\.ts$'],
      },
    },
    {
      name: 'schema-references',
      severity: 'error',
      comment:
        "A schema.ts references another module's tables for foreign keys (its schema.ts) and types from its contract.ts; nothing else.",
      from: { path: '^src/modules/([^/]+)/schema\\.ts$' },
      to: {
        path: '^src/modules/[^/]+/',
        pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/(schema|contract)\\.ts$'],
      },
    },
    {
      name: 'web-imports-shared-files',
      severity: 'error',
      comment:
        "The web app imports a module's contract.ts and pure files (roles, rules, policy…), never its entry, services, routes or tables.",
      from: { path: '^src/web/', pathNot: WEB_TEST_FILES },
      // Not through contract.ts alone: a page needing a role name would load every zod schema of the module.
      to: { path: '^src/modules/[^/]+/(index|schema|routes|service|[^/]*-service|[^/]*-routes|[^/]*-job)\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^src/db/migrations/', '\\.d\\.ts$'] },
    // Type-only imports count: a cycle of types is still a cycle of design.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
