import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // End-to-end tests boot the API and the Meta sandbox in-process, so they import those
    // apps' sources directly; nothing else may.
    files: ['**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
];
