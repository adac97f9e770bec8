/** Builds FerretDB into .tools/bin if it is not there yet (used by .ci/run). */
import { ensureFerretDbBuilt } from './database-launcher';

const started = Date.now();
ensureFerretDbBuilt();
console.log(`FerretDB ready in .tools/bin (${((Date.now() - started) / 1000).toFixed(1)} s)`);
