import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '@waba/tools/database/database-launcher';
import { embeddedSignupOverHttp, HttpBrowser, launcherEnv, LauncherProcess, WORKSPACE_ROOT, type LauncherOptions } from './launcher-process';

// `npm test` builds before the jest suites; run by hand without dist/, this suite has nothing to start.
const built = existsSync(resolve(WORKSPACE_ROOT, 'dist/apps/api/main.js')) && existsSync(resolve(WORKSPACE_ROOT, 'dist/apps/meta-sandbox/main.js'));
if (!built) console.warn('restart.e2e: skipped, dist/apps/api/main.js is missing (npx nx run-many -t build -p api admin meta-sandbox)');
const describeWhenBuilt = built ? describe : describe.skip;

const MAIN_NUMBER = '+1 555-010-0199';

describeWhenBuilt('npm start keeps its data across restarts and crashes (tools/start.ts as a child process)', () => {
  jest.setTimeout(240_000);
  let options: LauncherOptions;
  let launcher: LauncherProcess | undefined;
  let browser: HttpBrowser;
  let phoneNumberId: string;
  let email: string;

  beforeAll(async () => {
    options = { dataDir: mkdtempSync(join(tmpdir(), 'waba-restart-')), apiPort: await freePort(), sandboxPort: await freePort() };
  });
  afterAll(async () => {
    await launcher?.stop();
    rmSync(options.dataDir, { recursive: true, force: true });
  });

  async function phoneNumbers(): Promise<{ phoneNumberId: string; displayPhone: string; state: string }[]> {
    const status = await browser.request('GET', '/api/phone-numbers');
    expect(status.status).toBe(200);
    return status.body.wabas.flatMap((w: { numbers: unknown[] }) => w.numbers);
  }

  it('after Ctrl+C and a new start: same session, same number, and its credential still works against the sandbox', async () => {
    launcher = await LauncherProcess.start(options);
    browser = await new HttpBrowser(launcher.apiUrl).visit();
    email = `owner-${Date.now()}@example.com`;
    const signup = await browser.request('POST', '/api/auth/signup', { accountName: 'Restart Bakery', name: 'Restart Owner', email, password: 'restart-password-1' });
    expect(signup.status).toBe(201);

    const { code, wabaId, phoneIds } = await embeddedSignupOverHttp(launcher.sandboxUrl, 'Acme Bakery');
    phoneNumberId = phoneIds.get(MAIN_NUMBER) ?? '';
    const session = await browser.request('POST', '/api/integrations/whatsapp/embedded-signup', { code, sessionInfo: { event: 'FINISH', wabaId } });
    expect(session.status).toBe(201);
    const confirm = await browser.request('POST', `/api/integrations/whatsapp/onboarding/${session.body.id}/confirm`, { phoneNumberIds: [phoneNumberId] });
    expect(confirm.body.status).toBe('completed');
    expect(await phoneNumbers()).toEqual([expect.objectContaining({ phoneNumberId, state: 'connected' })]);
    expect(statSync(join(options.dataDir, 'token-encryption-keys')).mode & 0o777).toBe(0o600);

    expect(await launcher.stop()).toBe(0);
    expect(launcher.hasRuntimeFile()).toBe(false);
    launcher = await LauncherProcess.start(options);
    expect(launcher.log).toContain('token-encryption key: read from');

    const me = await browser.request('GET', '/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(email);
    expect(await phoneNumbers()).toEqual([expect.objectContaining({ phoneNumberId, displayPhone: MAIN_NUMBER })]);
    // "Test connection" decrypts the stored token and calls the sandbox, which must still know it.
    const refreshed = await browser.request('POST', `/api/phone-numbers/${phoneNumberId}/refresh`);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.lastRefreshedAt).not.toBeNull();
  });

  it('runs an operator command against the running npm start with no settings of its own', () => {
    const env = launcherEnv(options);
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'tools/operator.ts', 'tokens', 'check', '--dry-run', '--all', '--json'], {
      cwd: WORKSPACE_ROOT,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.stderr).toContain('using the running npm start');
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}');
    expect(summary.counts).toMatchObject({ failed: 0 });
    expect(summary.counts.checked).toBeGreaterThanOrEqual(1);
  });

  it('brings a killed API back with its data, and a killed database and Redis on the same port and folder', async () => {
    const running = launcher as LauncherProcess;
    const apiPid = running.pidOf('api');
    process.kill(apiPid, 'SIGKILL');
    await running.waitForLine('api exited (SIGKILL)', 10_000);
    await waitUntil(async () => running.pidOf('api') !== apiPid && (await browser.request('GET', '/api/health')).status === 200, 60_000);
    expect(await phoneNumbers()).toEqual([expect.objectContaining({ phoneNumberId })]);

    const databasePid = running.pidOf('database');
    process.kill(databasePid, 'SIGKILL');
    await running.waitForLine('restarting the database on the same port and data', 10_000);
    await waitUntil(async () => running.pidOf('database') !== databasePid && (await browser.request('GET', '/api/health')).status === 200, 60_000);
    expect(await phoneNumbers()).toEqual([expect.objectContaining({ phoneNumberId })]);
    expect((await browser.request('POST', `/api/phone-numbers/${phoneNumberId}/refresh`)).status).toBe(200);

    const redisPid = running.pidOf('redis');
    process.kill(redisPid, 'SIGKILL');
    await running.waitForLine('restarting Redis on the same port and data', 10_000);
    await waitUntil(async () => running.pidOf('redis') !== redisPid && (await redisAnswers(running.runtime().env['REDIS_URL'])), 30_000);
  });
});

/** PING over a plain socket: the API on this branch does not use Redis yet, so ask it directly. */
function redisAnswers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((done) => {
    const socket = connect(Number(port), hostname);
    socket.setTimeout(1000, () => socket.destroy());
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (reply) => {
      socket.destroy();
      done(reply.toString().startsWith('+PONG'));
    });
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const met = await condition().catch(() => false);
    if (met) return;
    if (Date.now() > deadline) throw new Error(`not met within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
