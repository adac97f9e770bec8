// Factories for the token-check suites: credentials connected through the API, credentials
// inserted in bulk, a movable clock, the built CLI and worker instances as separate processes
// (support/operator-cli.ts).
import { getQueueToken } from '@nestjs/bullmq';
import { getConnectionToken } from '@nestjs/mongoose';
import type { OnboardingSessionView, WhatsAppStatusView } from '@waba/contracts';
import type { Queue } from 'bullmq';
import { resolve } from 'node:path';
import { Types, type Connection } from 'mongoose';
import { Clock } from '@waba/api/common/clock/clock';
import { TokenCipher, tokenBinding } from '@waba/api/common/crypto/token-cipher';
import { TOKEN_CHECKS_QUEUE } from '@waba/api/jobs/job-queues';
import { TokenSweepService, type SweepOptions } from '@waba/api/token-refresh/token-sweep.service';
import { embeddedSignup, phoneIdOf, wabaIdOf, type Sandbox } from '../support/meta-sandbox';
import { CLI, processEnv, spawnBuilt, type CliRun } from '../support/operator-cli';
import type { TestApp } from '../support/test-app';
import type { SignedInTenant } from '../support/tenants';

export { CLI, type CliRun };

export const MAIN = resolve(__dirname, '../../../../dist/apps/api/main.js');
/** The keys the test app encrypts with (support/test-app.ts). */
export const TEST_KEYS = `test:${Buffer.alloc(32, 9).toString('base64')}`;

export function db(api: TestApp): Connection {
  return api.app.get<Connection>(getConnectionToken());
}

export function sweep(api: TestApp, options: Partial<SweepOptions> = {}) {
  return api.app.get(TokenSweepService).sweep({ trigger: 'manual', ...options });
}

/** The test app's token-check queue: separate processes given `processEnv(api, …)` share it. */
export function tokenChecks(api: TestApp): Queue {
  return api.app.get<Queue>(getQueueToken(TOKEN_CHECKS_QUEUE));
}

/** Moves the API's clock (every time rule reads it) and the sandbox's Meta clock forward together. */
export function movableClock(api: TestApp, sandbox: Sandbox): { advance(ms: number): Promise<void> } {
  const clock = api.app.get(Clock);
  let offset = 0;
  clock.now = () => new Date(Date.now() + offset);
  return {
    advance: async (ms) => {
      offset += ms;
      await sandbox.control('POST', '/clock/advance', { seconds: Math.round(ms / 1000) });
    },
  };
}

export async function businessIdOf(sandbox: Sandbox, name: string): Promise<string> {
  const business = [...sandbox.world.businesses.values()].find((b) => b.name === name);
  if (!business) throw new Error(`no business ${name}`);
  return business.id;
}

/** Connects one number with a token minted in the sandbox, through the manual-add API. */
export async function connectMintedToken(
  sandbox: Sandbox,
  tenant: SignedInTenant,
  token: { expiresInSeconds?: number; type?: 'USER' | 'SYSTEM_USER'; business?: string; phone?: string } = {},
): Promise<string> {
  const business = token.business ?? 'Northwind Clinics';
  const wabaId = wabaIdOf(sandbox, business);
  const { body: minted } = await sandbox.control<{ access_token: string }>('POST', '/tokens', {
    businessId: await businessIdOf(sandbox, business),
    wabaIds: [wabaId],
    expiresInSeconds: token.expiresInSeconds,
    type: token.type,
  });
  const added = await tenant.browser.post('/api/settings/phone-numbers', {
    phoneNumberId: phoneIdOf(sandbox, token.phone ?? '+44 7700 900461'),
    wabaId,
    accessToken: minted.access_token,
  });
  if (added.status !== 201) throw new Error(`manual add failed: ${added.status} ${JSON.stringify(added.body)}`);
  return minted.access_token;
}

/** Embedded Signup through the API; returns the business token the API stored. */
export async function connectBySignup(api: TestApp, sandbox: Sandbox, tenant: SignedInTenant, phones: string[], business = 'Acme Bakery'): Promise<string> {
  const { code, wabaId } = await embeddedSignup(sandbox, business);
  const session = (await tenant.browser.post('/api/integrations/whatsapp/embedded-signup', { code, sessionInfo: { event: 'FINISH', wabaId } })).body as OnboardingSessionView;
  const confirm = await tenant.browser.post(`/api/integrations/whatsapp/onboarding/${session.id}/confirm`, { phoneNumberIds: phones.map((p) => phoneIdOf(sandbox, p)) });
  if (confirm.body.status !== 'completed') throw new Error(`signup not completed: ${JSON.stringify(confirm.body)}`);
  return storedToken(api, session.id);
}

/** The plaintext token behind the connection an onboarding session used (tests only). */
async function storedToken(api: TestApp, sessionId: string): Promise<string> {
  const session = await db(api)
    .collection('onboarding_sessions')
    .findOne({ _id: new Types.ObjectId(sessionId) });
  const connection = await db(api).collection('meta_connections').findOne({ _id: session?.['connectionId'] });
  return api.app.get(TokenCipher).decrypt(String(connection?.['encryptedToken']), tokenBinding(String(connection?.['accountId']), String(connection?.['tokenFingerprint'])));
}

export async function connectionOf(tenant: SignedInTenant) {
  const status = (await tenant.browser.get('/api/phone-numbers')).body as WhatsAppStatusView;
  return status.wabas[0]?.connection ?? null;
}

/** `count` credentials of one tenant, due now, with sandbox tokens that never expire. */
export async function insertDueCredentials(api: TestApp, sandbox: Sandbox, count: number): Promise<{ accountId: string; tokens: string[] }> {
  const { body } = await sandbox.control<{ tokens: string[] }>('POST', '/tokens/bulk', { businessId: await businessIdOf(sandbox, 'Acme Bakery'), count });
  const cipher = api.app.get(TokenCipher);
  const accountId = new Types.ObjectId();
  const now = new Date();
  await db(api)
    .collection('meta_connections')
    .insertMany(
      body.tokens.map((token, i) => ({
        accountId,
        tokenFingerprint: `bulk-${i}-${token.slice(-12)}`,
        encryptedToken: cipher.encrypt(token, tokenBinding(String(accountId), `bulk-${i}-${token.slice(-12)}`)),
        source: 'manual',
        tokenType: 'SYSTEM_USER',
        scopes: [],
        grantedWabaIds: [],
        metaUserId: null,
        expiresAt: null,
        dataAccessExpiresAt: null,
        status: 'active',
        lastCheckedAt: null,
        lastError: null,
        nextCheckAt: now,
        checkFailures: 0,
        lastCheckFailure: null,
        createdBy: null,
        createdAt: now,
        updatedAt: now,
      })),
    );
  return { accountId: String(accountId), tokens: body.tokens };
}

export async function debugCalls(sandbox: Sandbox): Promise<Record<string, number>> {
  return (await sandbox.control<{ calls: Record<string, number> }>('GET', '/tokens/debug-calls')).body.calls;
}

/** `cli.js tokens check` as its own process (its own Nest context), against the test's database, Redis and sandbox. */
export function runTokensCheck(api: TestApp, sandbox: Sandbox, args: string[], env: Record<string, string> = {}): CliRun {
  return spawnBuilt(CLI, ['tokens', 'check', ...args], processEnv(api, sandbox, env));
}

/** `main.js` with INSTANCE_ROLE=worker, the token-check schedule on; resolves once it runs. */
export async function startWorkerInstance(api: TestApp, sandbox: Sandbox, env: Record<string, string> = {}): Promise<CliRun> {
  const run = spawnBuilt(MAIN, [], processEnv(api, sandbox, { INSTANCE_ROLE: 'worker', TOKEN_CHECK_ENABLED: 'true', LOG_LEVEL: 'warn', ...env }));
  const started = new Promise<void>((resolveStart, reject) => {
    run.child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('worker running') && resolveStart());
    void run.done.then(({ code, stdout, stderr }) => reject(new Error(`worker exited with ${code}: ${stdout}${stderr}`)));
  });
  await started;
  return run;
}

/** SIGTERM, then waits for the exit (the worker finishes its active jobs first). */
export async function stopProcess(run: CliRun): Promise<void> {
  if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGTERM');
  await run.done;
}

export async function waitFor(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The one JSON line `--json` prints. */
export function jsonSummary(stdout: string): { counts: Record<string, number>; instanceId: string; durationMs: number } {
  const line = stdout.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`no JSON summary in: ${stdout}`);
  return JSON.parse(line);
}
