/**
 * `npm test`: builds the apps, checks the formatting (Prettier) and the lint rules (ESLint), then runs every suite — jest (api, api-e2e, libs, sandbox),
 * vitest (admin) and Playwright (admin-e2e, real chromium) — then the API unit tests and a set of e2e specs a
 * second time on the maintained Node LTS the container image runs (tools/maintained-node.ts),
 * and ends with one line `N passed, N failed` totalled over all of them. Exits non-zero when
 * anything failed. Installs redis-server and chromium first when they are missing and we are root.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { CHROMIUM, ensureMachinePackage, REDIS_SERVER } from './launcher/prerequisites';
import { ensureMaintainedNode, MAINTAINED_NODE_MAJOR } from './maintained-node';

const root = resolve(__dirname, '..');
const results = join(root, 'test-results');
interface SuiteResult {
  name: string;
  passed: number;
  failed: number;
  seconds: number;
}

/** The step running now: its own process group, so Ctrl+C or a budget stops everything it started. */
let running: ChildProcess | undefined;
function stopGroup(child: ChildProcess | undefined): void {
  try {
    if (child?.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopGroup(running);
    process.exit(130);
  });
}

/**
 * Runs one step with its output streamed as it comes (so a CI log shows how far a run got) and
 * kept for parsing. A step still running after `budgetSeconds` is stopped, with its whole process
 * group, and counts as failed: a hang costs that step, never the summary line.
 */
function run(command: string, args: string[], env: Record<string, string> = {}, budgetSeconds = 30 * 60): Promise<{ status: number; output: string; seconds: number }> {
  const started = Date.now();
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  running = child;
  const chunks: Buffer[] = [];
  const keep = (to: NodeJS.WriteStream) => (chunk: Buffer) => {
    chunks.push(chunk);
    to.write(chunk);
  };
  child.stdout.on('data', keep(process.stdout));
  child.stderr.on('data', keep(process.stderr));
  const budget = setTimeout(() => {
    log(`${command} ${args.join(' ')} is still running after ${budgetSeconds} s: stopping it`);
    stopGroup(child);
  }, budgetSeconds * 1000);
  // What a step leaves running (a database, an API process) would hold its output open: stop it.
  child.on('exit', () => stopGroup(child));
  return new Promise((done) =>
    child.on('close', (code) => {
      clearTimeout(budget);
      done({ status: code ?? 1, output: Buffer.concat(chunks).toString(), seconds: (Date.now() - started) / 1000 });
    }),
  );
}

/** Without the terminal's colour codes. */
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

function readJson<T>(path: string): T | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

/** A runner that crashed before reporting still counts as one failure, never as a pass. */
function settle(name: string, status: number, passed: number, failed: number, seconds: number): SuiteResult {
  return { name, passed, failed: status !== 0 && failed === 0 ? 1 : failed, seconds };
}

/**
 * `--forceExit`: once every test has run and the report is written, jest exits even if a handle
 * is still open. Runs (on Node 24, and once on Node 20) finished their tests, wrote the report and
 * then waited with no child process, socket or live timer left, until CI's time ran out.
 */
const JEST_RUN_OPTIONS = ['--ci', '--json', '--forceExit'];

async function jestSuites(): Promise<SuiteResult> {
  const out = join(results, 'jest.json');
  const { status, seconds } = await run('npx', ['jest', '-c', 'jest.config.cts', ...JEST_RUN_OPTIONS, `--outputFile=${out}`]);
  return jestResult('jest', out, status, seconds);
}

function jestResult(name: string, out: string, status: number, seconds: number): SuiteResult {
  const report = readJson<{ numPassedTests: number; numFailedTests: number }>(out);
  return settle(name, status, report?.numPassedTests ?? 0, report?.numFailedTests ?? 0, seconds);
}

/**
 * The API's unit tests, and the e2e specs that run what differs between Node majors (built
 * processes in every role, restarts, signatures and hashing, HTTP parsing of hostile input, the
 * OAuth redirect, sessions), again on the container image's Node major. Not the whole
 * e2e suite: it doubled the run's time for code paths that behave the same on both. The Node
 * bin folder leads PATH, so the API processes and tools the tests start run on it too.
 */
const MAINTAINED_NODE_E2E = [
  'apps/api-e2e/src/platform/instances.e2e.spec.ts',
  'apps/api-e2e/src/platform/readiness.e2e.spec.ts',
  'apps/api-e2e/src/platform/restart.e2e.spec.ts',
  'apps/api-e2e/src/webhooks/webhooks.e2e.spec.ts',
  'apps/api-e2e/src/security/hostile-input.e2e.spec.ts',
  'apps/api-e2e/src/whatsapp/redirect-flow.e2e.spec.ts',
  'apps/api-e2e/src/accounts/sessions.e2e.spec.ts',
];
async function maintainedNodeSuites(): Promise<SuiteResult> {
  const name = `jest node${MAINTAINED_NODE_MAJOR}`;
  let node: string;
  try {
    node = ensureMaintainedNode(log);
  } catch (error) {
    log(`Node ${MAINTAINED_NODE_MAJOR} not installed: ${(error as Error).message}`);
    return { name: `${name} (not run: no Node ${MAINTAINED_NODE_MAJOR})`, passed: 0, failed: 1, seconds: 0 };
  }
  const out = join(results, `jest-node${MAINTAINED_NODE_MAJOR}.json`);
  const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
  const specs = ['apps/api/src/', ...MAINTAINED_NODE_E2E].map((path) => `^${join(root, path)}`);
  const { status, seconds } = await run(node, [jest, '-c', 'jest.config.cts', '--selectProjects', 'api', 'api-e2e', ...JEST_RUN_OPTIONS, `--outputFile=${out}`, '--testPathPatterns', ...specs], {
    PATH: `${dirname(node)}${delimiter}${process.env['PATH'] ?? ''}`,
  });
  return jestResult(name, out, status, seconds);
}

/** Formatting as a check: one Prettier configuration (.prettierrc.json, .prettierignore) over the repository. */
async function formatSuite(): Promise<SuiteResult> {
  const { status, seconds } = await run('npx', ['prettier', '--check', '.']);
  return { name: 'prettier', passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1, seconds };
}

/** ESLint over every project, the module-boundary rule included (eslint.config.mjs): one check. */
async function lintSuite(): Promise<SuiteResult> {
  const { status, seconds } = await run('npx', ['nx', 'run-many', '-t', 'lint', '--output-style=static']);
  return { name: 'lint', passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1, seconds };
}

async function vitestSuites(): Promise<SuiteResult> {
  const { status, output, seconds } = await run('npx', ['nx', 'test', 'admin', '--skip-nx-cache', '--output-style=static']);
  // Vitest's summary line: "Tests  12 passed | 1 failed (13)"
  const summary =
    output
      .split('\n')
      .reverse()
      .map(plain)
      .find((line) => /^\s*Tests\s+\d+/.test(line)) ?? '';
  const count = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(summary)?.[1] ?? 0);
  return settle('vitest', status, count('passed'), count('failed'), seconds);
}

async function playwrightSuites(): Promise<SuiteResult> {
  const out = join(results, 'playwright.json');
  // The browser tests run `tools/start.ts`: give it an empty data folder of its own, never `.data/`.
  const dataDir = mkdtempSync(join(tmpdir(), 'waba-e2e-data-'));
  try {
    const { status, seconds } = await run('npx', ['playwright', 'test', '-c', 'apps/admin-e2e/playwright.config.mts'], {
      CI: '1',
      PLAYWRIGHT_JSON_OUTPUT_NAME: out,
      WABA_DATA_DIR: dataDir,
    });
    const report = readJson<{ stats: { expected: number; unexpected: number; flaky: number } }>(out);
    return settle('playwright', status, (report?.stats.expected ?? 0) + (report?.stats.flaky ?? 0), report?.stats.unexpected ?? 0, seconds);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** At most this many lines of each failure in the digest: enough for the assertion and where it failed. */
const DIGEST_LINES = 12;
const firstLines = (text: string) =>
  plain(text)
    .trim()
    .split('\n')
    .slice(0, DIGEST_LINES)
    .map((line) => `    ${line}`);

/**
 * What failed, and why, from the runners' JSON reports, printed just above the summary: a CI log
 * that keeps only its end still says which test failed and at which assertion.
 */
function failureDigest(): string[] {
  const lines: string[] = [];
  for (const file of readdirSync(results).filter((name) => name.startsWith('jest') && name.endsWith('.json'))) {
    type JestReport = { testResults: Array<{ name: string; message: string; assertionResults: Array<{ status: string; fullName: string; failureMessages: string[] }> }> };
    for (const suite of readJson<JestReport>(join(results, file))?.testResults ?? []) {
      const failed = suite.assertionResults.filter((test) => test.status === 'failed');
      for (const test of failed) lines.push(`${file}: ${test.fullName}`, ...firstLines(test.failureMessages[0] ?? ''));
      // A suite that failed outside any test (it did not compile, a hook threw).
      if (failed.length === 0 && suite.message) lines.push(`${file}: ${relative(root, suite.name)}`, ...firstLines(suite.message));
    }
  }
  type PlaywrightSuite = {
    title: string;
    suites?: PlaywrightSuite[];
    specs?: Array<{ title: string; ok: boolean; tests: Array<{ results: Array<{ errors: Array<{ message?: string; location?: { file: string; line: number } }> }> }> }>;
  };
  const walk = (suite: PlaywrightSuite, path: string[]) => {
    for (const spec of suite.specs ?? []) {
      if (spec.ok) continue;
      const errors = spec.tests.flatMap((test) => test.results.flatMap((result) => result.errors));
      const location = errors[0]?.location;
      lines.push(`playwright: ${[...path, spec.title].join(' › ')}`, ...firstLines(errors[0]?.message ?? ''));
      if (location) lines.push(`    at ${relative(root, location.file)}:${location.line}`);
    }
    for (const child of suite.suites ?? []) walk(child, [...path, child.title]);
  };
  for (const suite of readJson<{ suites: PlaywrightSuite[] }>(join(results, 'playwright.json'))?.suites ?? []) walk(suite, [suite.title]);
  return lines;
}

function log(line: string): void {
  console.log(`[test] ${line}`);
}

async function main(): Promise<void> {
  rmSync(results, { recursive: true, force: true });
  mkdirSync(results, { recursive: true });
  // The jest set-up starts its own redis-server unless WABA_TEST_REDIS_URL names one.
  const noRedis = process.env['WABA_TEST_REDIS_URL'] ? undefined : ensureMachinePackage({ ...REDIS_SERVER, alternative: 'set WABA_TEST_REDIS_URL to a Redis server' }, log);
  if (noRedis) log(noRedis);
  const noChromium = ensureMachinePackage(CHROMIUM, log);
  if (noChromium) log(noChromium);
  const build = await run('npx', ['nx', 'run-many', '-t', 'build', '-p', 'api', 'admin', 'meta-sandbox', '--output-style=static']);
  const suites: SuiteResult[] = [settle('build', build.status, 0, 0, build.seconds), await formatSuite(), await lintSuite()];
  suites.push(await jestSuites(), await vitestSuites());
  if (build.status !== 0) suites.push({ name: 'playwright (not run: build failed)', passed: 0, failed: 1, seconds: 0 });
  else if (noChromium) suites.push({ name: 'playwright (not run: no chromium)', passed: 0, failed: 1, seconds: 0 });
  else suites.push(await playwrightSuites());
  suites.push(await maintainedNodeSuites());

  const passed = suites.reduce((sum, s) => sum + s.passed, 0);
  const failed = suites.reduce((sum, s) => sum + s.failed, 0);
  const digest = failed > 0 ? failureDigest() : [];
  if (digest.length > 0) console.log(`\nWhat failed:\n${digest.join('\n')}`);
  console.log('\nSuite          passed  failed  seconds');
  for (const s of suites) console.log(`${s.name.padEnd(14)} ${String(s.passed).padStart(6)}  ${String(s.failed).padStart(6)}  ${s.seconds.toFixed(0).padStart(7)}`);
  const line = `${passed} passed, ${failed} failed`;
  writeFileSync(join(results, 'summary.txt'), `${line}\n`);
  console.log(line);
  process.exitCode = failed === 0 ? 0 : 1;
}

void main();
