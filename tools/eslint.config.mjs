import baseConfig, { moduleBoundaries } from '../eslint.config.mjs';

export default [
  ...baseConfig,
  // Tools run under tsx, which does not read tsconfig.base.json's paths, so they reach the apps and
  // libs they drive (the benches, the OpenAPI writer) by relative paths.
  ...moduleBoundaries(['^(\\.\\./)+(apps|libs)/']),
  // The test runner strips jest's ANSI colour codes (ESC, a control character) from its output.
  { files: ['run-tests.ts'], rules: { 'no-control-regex': 'off' } },
];
