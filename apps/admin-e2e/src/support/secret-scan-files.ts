import { resolve } from 'node:path';

const WORKSPACE_ROOT = resolve(__dirname, '../../../..');

/** Where the browser specs' recorder (fixtures.ts) appends what the browser received; emptied per run (global-setup.ts). */
export const BROWSER_EXCHANGES_FILE = resolve(WORKSPACE_ROOT, 'test-results/secret-scan/browser.ndjson');
/** One line per scanned suite, for the run's figures (the API e2e scan writes here too). */
export const SCAN_SUMMARY_FILE = resolve(WORKSPACE_ROOT, 'test-results/secret-scan.ndjson');

export interface RecordedBrowserExchange {
  where: string;
  status: number;
  headers: Record<string, string | string[]>;
  text: string;
  /** Secret fields of a request the API accepted (2xx): a password chosen, a token pasted, a code. */
  acceptedSecrets: Array<{ label: string; value: string }>;
}
