import nx from '@nx/eslint-plugin';

/** Specs and their helpers: the only code that may use the type:testing library (libs/testing). */
const TEST_FILES = ['**/*.spec.ts', '**/*.test.ts', '**/*.testing.ts', '**/src/testing/**/*.ts', '**/jest.config.cts'];

function boundaryOptions(allow, testCode) {
  return {
    enforceBuildableLibDependency: true,
    allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$', ...allow],
    // Test-only cycles: the sandbox harness boots the sandbox app whose specs use it, and libs/testing
    // uses the database launcher of tools/, whose benches reuse its fixtures.
    ignoredCircularDependencies: [
      ['testing', 'meta-sandbox'],
      ['testing', 'tools'],
    ],
    // The dependency graph we drew: apps use shared libs, libs never use apps, the SPA sees only the
    // contracts; test helpers (type:testing) and tools (type:tools) never reach production code.
    depConstraints: [
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: testCode ? ['scope:shared', 'scope:testing'] : ['scope:shared'] },
      { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:shared', 'scope:api', 'scope:testing', 'scope:tools'] },
      { sourceTag: 'scope:sandbox', onlyDependOnLibsWithTags: ['scope:shared', 'scope:sandbox', 'scope:testing'] },
      { sourceTag: 'scope:admin', onlyDependOnLibsWithTags: ['scope:shared', 'scope:admin', 'scope:testing', 'scope:tools'] },
      { sourceTag: 'scope:testing', onlyDependOnLibsWithTags: ['scope:shared', 'scope:testing', 'scope:tools'] },
      { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:shared', 'scope:tools', 'scope:testing'] },
      // Apps use only the shared libs (never tools); their specs may also use the test helpers.
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: testCode ? ['type:data-access', 'type:util', 'type:testing'] : ['type:data-access', 'type:util'] },
      { sourceTag: 'type:e2e', notDependOnLibsWithTags: ['type:e2e'] },
    ],
  };
}

/**
 * `@nx/enforce-module-boundaries` for a project's files, test files included; `allow` lists the
 * imports that project may make past the rule (e.g. an e2e project's app under test).
 */
export function moduleBoundaries(allow = []) {
  return [
    { files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx', '**/*.mts', '**/*.cts'], rules: { '@nx/enforce-module-boundaries': ['error', boundaryOptions(allow, false)] } },
    { files: TEST_FILES, rules: { '@nx/enforce-module-boundaries': ['error', boundaryOptions(allow, true)] } },
  ];
}

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc'],
  },
  ...moduleBoundaries(),
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.cts', '**/*.mts', '**/*.js', '**/*.jsx', '**/*.cjs', '**/*.mjs'],
    // Override or add rules here
    rules: {},
  },
];
