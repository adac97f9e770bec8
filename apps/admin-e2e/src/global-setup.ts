import { rmSync } from 'node:fs';
import { BROWSER_EXCHANGES_FILE } from './support/secret-scan-files';

/** A run's secret scan sees only that run's exchanges. */
export default function globalSetup(): void {
  rmSync(BROWSER_EXCHANGES_FILE, { force: true });
}
