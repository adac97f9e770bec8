// Jest setupFilesAfterEnv of the API e2e project: after each test file, the run-wide secret scan
// (support/run-secret-scan.ts) of everything that file's apps answered and logged.
import { appendFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { runSecretScan } from './run-secret-scan';

runSecretScan.patchFetch();

afterAll(() => {
  const file = expect.getState().testPath ?? 'unknown file';
  const { leaks, scanned } = runSecretScan.takeLeaks();
  // One line per test file, for the run's figures (the browser scan adds its own).
  const results = resolve(__dirname, '../../../../test-results');
  mkdirSync(results, { recursive: true });
  appendFileSync(resolve(results, 'secret-scan.ndjson'), `${JSON.stringify({ suite: 'api-e2e', file: file.replace(/^.*apps\//, 'apps/'), ...scanned, leaks: leaks.length })}\n`);
  if (leaks.length) {
    throw new Error(`secrets leaked (${leaks.length}):\n${leaks.map((l) => `- ${l.secret} in ${l.where}: …${l.excerpt}…`).join('\n')}`);
  }
});
