import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExchangeRecorder, SecretRegistry } from '@waba/testing';
import { expect, test } from './support/fixtures';
import { BROWSER_EXCHANGES_FILE, SCAN_SUMMARY_FILE, type RecordedBrowserExchange } from './support/secret-scan-files';

/**
 * The browser suites' secret scan; named to run after every other spec (one worker, files in
 * order). It reads what support/fixtures.ts recorded, the API's log of this run and the Meta
 * sandbox's world from the product's data folder, and fails on any secret found where it must not be.
 */
test('no secret of this run reached a browser or the API log where it must not', async () => {
  // Skipped only when there is nothing of this run to scan (a single spec run alone, or a remote product).
  // eslint-disable-next-line playwright/no-skipped-test
  test.skip(!existsSync(BROWSER_EXCHANGES_FILE), 'no other browser spec ran before this one');
  const dataDir = process.env['WABA_DATA_DIR'];
  // eslint-disable-next-line playwright/no-skipped-test
  test.skip(!dataDir, 'the product runs elsewhere (E2E_BASE_URL): its data folder is unknown');

  const secrets = new SecretRegistry();
  const recorder = new ExchangeRecorder(secrets);
  const exchanges = readFileSync(BROWSER_EXCHANGES_FILE, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as RecordedBrowserExchange);
  for (const exchange of exchanges) {
    for (const { label, value } of exchange.acceptedSecrets) secrets.add(label, value);
    let body: unknown;
    try {
      body = JSON.parse(exchange.text);
    } catch {
      body = undefined;
    }
    recorder.record(exchange.where, { status: exchange.status, headers: exchange.headers, text: exchange.text, body });
  }

  // The deployment's own secrets and everything the Meta sandbox minted (its saved world).
  const runtime = JSON.parse(readFileSync(join(dataDir as string, 'runtime.json'), 'utf8')) as { env: Record<string, string> };
  secrets.add('META_APP_SECRET', runtime.env['META_APP_SECRET']);
  for (const key of readFileSync(join(dataDir as string, 'token-encryption-keys'), 'utf8')
    .trim()
    .split(','))
    secrets.add('token-encryption key', key.split(':')[1]);
  const world = JSON.parse(readFileSync(join(dataDir as string, 'sandbox', 'world.json'), 'utf8')) as {
    tokens: Array<{ value: string }>;
    codes: Array<{ value: string }>;
    phoneNumbers: Array<{ twoStepPin?: string }>;
  };
  world.tokens.forEach((t) => secrets.add('access token minted by Meta', t.value));
  world.codes.forEach((c) => secrets.add('authorization code minted by Meta', c.value));
  world.phoneNumbers.forEach((p) => secrets.add('two-step PIN', p.twoStepPin));

  const logLines = readFileSync(join(dataDir as string, 'logs', 'api.log'), 'utf8')
    .split('\n')
    .filter(Boolean);
  const leaks = recorder.findLeaks(logLines);
  appendFileSync(SCAN_SUMMARY_FILE, `${JSON.stringify({ suite: 'browser', responsesAndEvents: recorder.count, logLines: logLines.length, secrets: secrets.size, leaks: leaks.length })}\n`);
  console.log(`secret scan: ${recorder.count} responses and frames, ${logLines.length} API log lines, ${secrets.size} secrets, ${leaks.length} leaks`);

  // The scan is only worth something if it saw the run's secrets: people signed up, Meta minted tokens.
  const labels = secrets.labels();
  expect(labels).toEqual(expect.arrayContaining(['password sent to /api/auth/signup', 'waba_session cookie', 'XSRF-TOKEN cookie', 'access token minted by Meta', 'META_APP_SECRET']));
  expect(leaks).toEqual([]);
});
