/**
 * What the browser bundle may reach at run time, checked by `npm test` after `.dependency-cruiser.cjs`.
 * Type-only imports are left out here: they vanish from the bundle (a policy may name the server's
 * `Actor` type and still run in the browser).
 */
const base = require('./.dependency-cruiser.cjs');

/** The page tests' own files, exempt as in the main config's web rule. */
const WEB_TEST_FILES = base.forbidden.find((rule) => rule.name === 'web-imports-shared-files').from.pathNot;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'contract-stays-web-safe',
      severity: 'error',
      comment: 'contract.ts is bundled into the browser app: it must not reach the database, the server or Node.',
      from: { path: '^src/modules/[^/]+/contract\\.ts$' },
      to: {
        reachable: true,
        path: ['^src/db/', '^src/server/(?!errors\\.ts$)', '^src/modules/[^/]+/(index|schema|routes|service|[^/]*-service)\\.ts$', '^src/config\\.ts$'],
      },
    },
    {
      name: 'web-reaches-no-server-code',
      severity: 'error',
      comment: 'The browser bundle must not reach the database, the server or Node built-ins.',
      from: { path: '^src/web/', pathNot: WEB_TEST_FILES },
      to: {
        reachable: true,
        path: [
          '^src/db/',
          '^src/server/(?!errors\\.ts$)',
          '^src/config\\.ts$',
          '^(node:)?(fs|fs/promises|path|os|crypto|net|http|https|child_process|stream|zlib|worker_threads)$',
        ],
      },
    },
  ],
  options: { ...base.options, tsPreCompilationDeps: false },
};
