/**
 * Import rules the build enforces (issue «One way to do each thing»), checked by test/architecture/build-rules.test.ts
 * (`npx depcruise src` shows the same). Folder cycles are checked by that test on this tool's output.
 */
module.exports = {
  forbidden: [
    {
      name: 'engine-imports-no-feature',
      comment: 'The queue engine (src/jobs) knows no feature: jobs are registered by the worker entry (src/app/workers.ts).',
      severity: 'error',
      from: { path: '^src/jobs/' },
      to: { path: '^src/', pathNot: ['^src/jobs/', '^src/shared/'] },
    },
    {
      name: 'no-feature-imports-a-job',
      comment: 'A feature job is started by the worker entry only; features request work through src/jobs/recompute-chain.ts.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/app/workers\\.ts$' },
      to: { path: '\\.job\\.ts$' },
    },
    {
      name: 'no-feature-imports-the-app',
      comment: 'src/app is the composition root (servers, worker, runtime): nothing under a feature imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(app|cli|main\\.ts)' },
      to: { path: '^src/app/' },
    },
    {
      name: 'no-feature-internals',
      comment:
        "A feature's surface is the files directly in its folder (its index.ts re-exports what others may use from its subfolders); " +
        'only the entry points (src/app, src/cli) reach into the subfolders of another feature.',
      severity: 'error',
      from: { path: '^src/([^/]+)/', pathNot: '^src/(app|cli)/' },
      to: { path: '^src/[^/]+/[^/]+/', pathNot: '^src/$1/' },
    },
    {
      name: 'no-import-from-tests-or-benchmarks',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
