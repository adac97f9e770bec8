import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The admin SPA in a real browser: Debian's chromium (Playwright's own browser download is not
 * available here) against the API, which serves the built SPA, on one origin.
 *
 * Build first: `npx nx run-many -t build -p api admin meta-sandbox`.
 * Run: `npx playwright test -c apps/admin-e2e/playwright.config.mts`.
 */
const workspaceRoot = resolve(import.meta.dirname, '../..');
/** Git-ignored; `tools/run-tests.ts` reads the JSON report from here (or names it via the env). */
const resultsDir = resolve(workspaceRoot, 'test-results');
const externalBaseUrl = process.env['E2E_BASE_URL'];
// `tools/start.ts` keeps its state in a data folder: the tests' own, empty one, never `.data/`.
// Set in the environment, so the test workers (which load this file again) see the same folder:
// the secret scan (zz-secret-scan.spec.ts) reads the API's log and the sandbox's world there.
if (!externalBaseUrl) process.env['WABA_DATA_DIR'] ??= mkdtempSync(join(tmpdir(), 'waba-e2e-data-'));
const dataDir = process.env['WABA_DATA_DIR'] ?? '';
// Other ports when two checkouts run the browser tests at once.
const apiPort = process.env['E2E_API_PORT'] ?? '3301';
const sandboxPort = process.env['E2E_SANDBOX_PORT'] ?? '4301';

export default defineConfig({
  testDir: './src',
  globalSetup: './src/global-setup.ts',
  // Failure screenshots and traces, plus the overview screenshot every run keeps.
  outputDir: resolve(resultsDir, 'admin-e2e'),
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env['CI'],
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: process.env['PLAYWRIGHT_JSON_OUTPUT_NAME'] ?? resolve(resultsDir, 'playwright.json') }]],
  use: {
    baseURL: externalBaseUrl ?? `http://localhost:${apiPort}`,
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    // Angular Material then skips its animations (it honours prefers-reduced-motion): on a fast
    // machine a click landed on a select panel still closing, and axe measured a dialog's
    // contrast half faded in. The tests check what settles, not the motion.
    reducedMotion: 'reduce',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  projects: [{ name: 'chromium' }],
  // Given E2E_BASE_URL, the tests drive that already-running server; otherwise start our own:
  // a fresh database, the API serving the built SPA, and the Meta sandbox.
  webServer: externalBaseUrl
    ? undefined
    : {
        command: 'npx tsx tools/start.ts --skip-build',
        cwd: workspaceRoot,
        // Every test signs up a new tenant: more than the default 10 auth calls a minute.
        env: {
          API_PORT: apiPort,
          SANDBOX_PORT: sandboxPort,
          AUTH_RATE_LIMIT_PER_MINUTE: '1000',
          META_CALLS_PER_ADDRESS_PER_MINUTE: '1000',
          SIGNUP_LINK_REQUESTS_PER_ADDRESS_PER_MINUTE: '1000',
          LOGIN_ATTEMPTS_PER_ACCOUNT_PER_15_MINUTES: '1000',
          WABA_DATA_DIR: dataDir,
        },
        url: `http://localhost:${apiPort}/api/health`,
        timeout: 120_000,
        reuseExistingServer: !process.env['CI'],
        stderr: 'pipe',
      },
});
