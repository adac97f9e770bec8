import baseConfig, { moduleBoundaries } from '../../eslint.config.mjs';

// The sandbox harness (src/lib/sandbox) boots the Meta sandbox app from its source.
export default [...baseConfig, ...moduleBoundaries(['@waba/meta-sandbox/**'])];
