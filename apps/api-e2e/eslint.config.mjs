import baseConfig, { moduleBoundaries } from '../../eslint.config.mjs';

// End-to-end tests boot the API in-process, so they import its source (@waba/api/*); no other
// project may.
export default [...baseConfig, ...moduleBoundaries(['@waba/api/**'])];
