// The operator CLI (dist/apps/api/cli.js) as operators run it: a separate process against the
// running product's database, Redis and Meta (the sandbox), every command and its exit codes.
import { getQueueToken } from '@nestjs/bullmq';
import type { EventsPageView, OnboardingSessionView } from '@waba/contracts';
import type { Queue } from 'bullmq';
import request from 'supertest';
import { ApiConfig } from '@waba/api/config/api-config';
import { WEBHOOK_UPKEEP_QUEUE } from '@waba/api/jobs/job-queues';
import { webhooksSettled } from '../support/jobs';
import { embeddedSignup, phoneIdOf, wabaIdOf, type Sandbox } from '../support/meta-sandbox';
import { CLI, runCli, spawnBuilt, type CliResult } from '../support/operator-cli';
import { useApiWithSandbox } from '../support/suite';
import { createTenant, type SignedInTenant } from '../support/tenants';
import type { TestApp } from '../support/test-app';
import { inboundMessage, signed } from '@waba/testing';
import { db, insertDueCredentials } from '../token-refresh/token-check.support';

/** Every command; the groups (`tokens`, `keys` …) show their help on bad usage (tested below). */
const COMMANDS = [
  ['tokens', 'check'],
  ['keys', 'rotate'],
  ['operator', 'grant'],
  ['operator', 'revoke'],
  ['operator', 'list'],
  ['webhooks', 'unroutable'],
  ['webhooks', 'replay'],
  ['tenants', 'list'],
];
// Each case is a Node process loading the API's modules: slow on a busy machine, hence the long timeouts.
const MANY_PROCESSES_MS = 300_000;
const FEW_PROCESSES_MS = 180_000;
const NEW_KEY = `k2:${Buffer.alloc(32, 4).toString('base64')}`;
const OPERATOR_ROUTE = '/api/operator/webhook-deliveries';

/** Commander prints a stack as lines starting with "    at "; the CLI must print words only. */
const noStackTrace = (result: CliResult) => expect(result.stdout + result.stderr).not.toMatch(/^\s+at /m);
const jsonOf = <T>(result: CliResult): T => JSON.parse(result.stdout.trim().split('\n').pop() ?? 'null') as T;

describe('the operator CLI against a running product', () => {
  let api: TestApp;
  let sandbox: Sandbox;
  useApiWithSandbox((running) => ({ api, sandbox } = running));

  const cli = (...args: string[]) => runCli(api, sandbox, args);
  /** With no settings at all: what needs no database must work without one. */
  const bareCli = (...args: string[]) => spawnBuilt(CLI, args, { PATH: process.env['PATH'] ?? '' }).done;

  async function connectedTenant(name: string, phones = ['+1 555-010-0199']): Promise<SignedInTenant> {
    const tenant = await createTenant(api.server, name);
    const { code, wabaId } = await embeddedSignup(sandbox);
    const session = (await tenant.browser.post('/api/integrations/whatsapp/embedded-signup', { code, sessionInfo: { event: 'FINISH', wabaId } })).body as OnboardingSessionView;
    const confirm = await tenant.browser.post(`/api/integrations/whatsapp/onboarding/${session.id}/confirm`, { phoneNumberIds: phones.map((p) => phoneIdOf(sandbox, p)) });
    if (confirm.body.status !== 'completed') throw new Error(`signup not completed: ${JSON.stringify(confirm.body)}`);
    return tenant;
  }

  it(
    'answers --help on every command with its usage and the exit codes, with no settings',
    async () => {
      const root = await bareCli('--help');
      expect(root.code).toBe(0);
      for (const [group] of COMMANDS) expect(root.stdout).toContain(`  ${group} `);
      expect((await bareCli('operator', '--help')).stdout).toMatch(/Commands:\n\s+grant <email>[\s\S]*revoke <email>[\s\S]*list/);
      for (const command of COMMANDS) {
        const help = await bareCli(...command, '--help');
        expect({ command, code: help.code }).toEqual({ command, code: 0 });
        expect(help.stdout).toContain(`Usage: cli.js ${command.join(' ')}`);
        expect(help.stdout).toMatch(/Exit codes:\n\s+0 +done\n\s+1 +the work failed.*\n\s+2 +bad usage or configuration/);
      }
      expect((await bareCli('tokens', 'check', '--help')).stdout).toMatch(/--dry-run[\s\S]*--account <id>[\s\S]*--concurrency <n>[\s\S]*--all[\s\S]*--json/);
    },
    MANY_PROCESSES_MS,
  );

  it(
    'refuses bad usage and missing settings with exit code 2 and a message, no stack trace',
    async () => {
      const cases: Array<[string[], RegExp]> = [
        [['tokens', 'check', '--concurrency', '0'], /--concurrency needs a whole number from 1 to 200, not "0"/],
        [['tokens', 'check', '--account', 'acme'], /--account needs an account id \(24 hex characters\)/],
        [['tokens', 'check', '--bogus'], /unknown option '--bogus'/],
        [['operator', 'grant'], /missing required argument 'email'/],
        [['operator', 'grant', 'not-an-email'], /"not-an-email" is not an email address/],
        [['webhooks', 'replay', 'xyz'], /"xyz" is not a delivery id/],
        [['webhooks', 'unroutable', '--limit', 'lots'], /--limit needs a whole number from 1 to 1000/],
        [['tenants', 'list', 'extra'], /too many arguments for 'list'/],
        [['keys', 'spin'], /unknown command 'spin'/],
        [['nosuch'], /unknown command 'nosuch'/],
        [['tokens'], /Usage: cli.js tokens \[options\] \[command\]/],
      ];
      for (const [args, message] of cases) {
        const result = await bareCli(...args);
        expect({ args, code: result.code }).toEqual({ args, code: 2 });
        expect(result.stderr).toMatch(message);
        noStackTrace(result);
      }
      const unconfigured = await bareCli('tenants', 'list');
      expect(unconfigured.code).toBe(2);
      expect(unconfigured.stderr).toMatch(/Invalid configuration: MONGODB_URI is required/);
      noStackTrace(unconfigured);
    },
    MANY_PROCESSES_MS,
  );

  it(
    'tokens check: a dry run changes nothing; a real run checks every due credential, with a progress bar',
    async () => {
      await insertDueCredentials(api, sandbox, 2);
      const snapshot = async () => JSON.stringify(await db(api).collection('meta_connections').find({}).sort({ _id: 1 }).toArray());
      const before = await snapshot();

      const dry = await cli('tokens', 'check', '--dry-run', '--json');
      expect(dry.code).toBe(0);
      expect(dry.stderr).toBe('');
      expect(jsonOf<{ dryRun: boolean; counts: Record<string, number> }>(dry)).toMatchObject({ dryRun: true, counts: { checked: 2, healthy: 2, failed: 0 } });
      expect(await snapshot()).toBe(before);

      const real = await cli('tokens', 'check');
      expect(real.code).toBe(0);
      expect(real.stdout).toMatch(/healthy\s*│\s*2/);
      expect(real.stderr).toMatch(/token checks \[#{30}\] 2\/2/);
      expect(await db(api).collection('meta_connections').countDocuments({ lastCheckedAt: null })).toBe(0);
    },
    FEW_PROCESSES_MS,
  );

  it(
    'keys rotate: a dry run counts, a real run re-encrypts every token under the new key',
    async () => {
      await insertDueCredentials(api, sandbox, 3);
      const keys = { TOKEN_ENCRYPTION_KEYS: `${NEW_KEY},${api.app.get(ApiConfig).TOKEN_ENCRYPTION_KEYS}`, TOKEN_ENCRYPTION_ACTIVE_KEY: 'k2' };
      // A stored secret is `<format>.<key id>.…` (common/crypto/token-cipher.ts).
      const keyIds = async () => (await db(api).collection('meta_connections').find({}).toArray()).map((c) => String(c['encryptedToken']).split('.')[1]);

      const dry = await runCli(api, sandbox, ['keys', 'rotate', '--dry-run', '--json'], keys);
      expect(dry.code).toBe(0);
      expect(jsonOf(dry)).toMatchObject({ dryRun: true, activeKeyId: 'k2', tokens: { reencrypted: 3, current: 0 } });
      expect(await keyIds()).toEqual(['test', 'test', 'test']);

      const real = await runCli(api, sandbox, ['keys', 'rotate'], keys);
      expect(real.code).toBe(0);
      expect(real.stdout).toContain('Re-encrypted under key "k2"');
      expect(real.stderr).toMatch(/secrets \[#{30}\] 3\/3/);
      expect(await keyIds()).toEqual(['k2', 'k2', 'k2']);
      expect(jsonOf(await runCli(api, sandbox, ['keys', 'rotate', '--json'], keys))).toMatchObject({ tokens: { reencrypted: 0, current: 3 } });
    },
    FEW_PROCESSES_MS,
  );

  it(
    'operator grant, list and revoke: the rights follow at once, both are audited, an unknown email is refused in words',
    async () => {
      const tenant = await createTenant(api.server, 'Ops Co');
      expect((await tenant.browser.get(OPERATOR_ROUTE)).status).toBe(403);

      const granted = await cli('operator', 'grant', tenant.email);
      expect({ code: granted.code, stdout: granted.stdout.trim() }).toEqual({ code: 0, stdout: `${tenant.email} is now an operator.` });
      expect((await tenant.browser.get(OPERATOR_ROUTE)).status).toBe(200);
      expect(jsonOf(await cli('operator', 'list', '--json'))).toEqual([expect.objectContaining({ email: tenant.email, accountName: 'Ops Co' })]);
      expect((await cli('operator', 'list')).stdout).toContain(tenant.email);

      const revoked = await cli('operator', 'revoke', tenant.email);
      expect({ code: revoked.code, stdout: revoked.stdout.trim() }).toEqual({ code: 0, stdout: `${tenant.email} is no longer an operator.` });
      expect((await tenant.browser.get(OPERATOR_ROUTE)).status).toBe(403);
      expect((await cli('operator', 'list')).stdout.trim()).toBe('No operators.');

      const audit = (await tenant.browser.get('/api/audit-log')).body as Array<{ action: string; actorName: string; target: string }>;
      expect(audit.filter((e) => e.action.startsWith('operator.'))).toEqual([
        expect.objectContaining({ action: 'operator.revoked', actorName: 'operator command', target: tenant.email }),
        expect.objectContaining({ action: 'operator.granted', actorName: 'operator command', target: tenant.email }),
      ]);

      const unknown = await cli('operator', 'grant', 'nobody@example.com');
      expect(unknown.code).toBe(1);
      expect(unknown.stderr.trim()).toMatch(/^No user has the email nobody@example.com/);
      noStackTrace(unknown);
    },
    FEW_PROCESSES_MS,
  );

  it(
    'webhooks unroutable lists a delivery for an unknown number; replay applies it once the number is connected, and again changes nothing',
    async () => {
      const wabaId = wabaIdOf(sandbox, 'Acme Bakery');
      const phone = phoneIdOf(sandbox, '+1 555-010-0199');
      const message = signed(JSON.stringify(inboundMessage(wabaId, phone, { id: 'wamid.CLI', text: 'before connect' })));
      const posted = await request(api.server).post('/api/webhooks/whatsapp').set('Content-Type', 'application/json').set('X-Hub-Signature-256', message.signature).send(message.body.toString('utf8'));
      expect(posted.status).toBe(200);
      await webhooksSettled(api.app);

      const listed = await cli('webhooks', 'unroutable', '--json');
      expect(listed.code).toBe(0);
      const [delivery, ...others] = jsonOf<Array<{ id: string; receivedAt: string; wabaIds: string[]; phoneNumberIds: string[]; reason: string }>>(listed);
      expect(others).toEqual([]);
      expect(delivery).toEqual({
        id: expect.stringMatching(/^[a-f0-9]{24}$/),
        receivedAt: expect.any(String),
        wabaIds: [wabaId],
        phoneNumberIds: [phone],
        unroutableIds: expect.arrayContaining([phone]),
        reason: expect.stringContaining(`No tenant owns ${phone}`),
      });
      expect((await cli('webhooks', 'unroutable')).stdout).toMatch(new RegExp(`${delivery.id}.*${phone}`));

      // Connecting the WABA would queue its unroutable deliveries for the workers: held back, so only the command applies it.
      const upkeep = api.app.get<Queue>(getQueueToken(WEBHOOK_UPKEEP_QUEUE));
      await upkeep.pause();
      try {
        const tenant = await connectedTenant('Acme');
        const events = async () => (await tenant.browser.get('/api/events')).body as EventsPageView;
        expect((await events()).total).toBe(0);

        const replayed = await cli('webhooks', 'replay', delivery.id);
        expect({ code: replayed.code, stdout: replayed.stdout.trim() }).toEqual({ code: 0, stdout: `Delivery ${delivery.id} applied (it was unroutable).` });
        expect((await events()).items.map((e) => e.detail)).toEqual(['before connect']);
        const archived = async () => JSON.stringify(await db(api).collection('webhook_deliveries').find({}).toArray());
        const after = { archive: await archived(), events: JSON.stringify(await events()) };
        expect(after.archive).toContain('"status":"applied"');

        const again = await cli('webhooks', 'replay', delivery.id, '--json');
        expect(again.code).toBe(0);
        expect(jsonOf(again)).toEqual({ id: delivery.id, before: 'applied', after: 'applied', reason: null });
        expect({ archive: await archived(), events: JSON.stringify(await events()) }).toEqual(after);
        expect(jsonOf(await cli('webhooks', 'unroutable', '--json'))).toEqual([]);
      } finally {
        await upkeep.resume();
      }

      const unknown = await cli('webhooks', 'replay', '0123456789abcdef01234567');
      expect(unknown.code).toBe(1);
      expect(unknown.stderr.trim()).toBe('No stored webhook delivery has the id 0123456789abcdef01234567');
    },
    FEW_PROCESSES_MS,
  );

  it(
    'tenants list --json: every tenant with its WABAs and numbers, connected of all',
    async () => {
      await connectedTenant('Connected Co');
      await createTenant(api.server, 'Empty Co');
      const listed = await cli('tenants', 'list', '--json');
      expect(listed.code).toBe(0);
      expect(jsonOf(listed)).toEqual([
        { id: expect.stringMatching(/^[a-f0-9]{24}$/), name: 'Connected Co', createdAt: expect.any(String), wabas: { total: 1, connected: 1 }, numbers: { total: 1, connected: 1 } },
        { id: expect.stringMatching(/^[a-f0-9]{24}$/), name: 'Empty Co', createdAt: expect.any(String), wabas: { total: 0, connected: 0 }, numbers: { total: 0, connected: 0 } },
      ]);
      expect((await cli('tenants', 'list')).stdout).toMatch(/Connected Co[\s\S]*1\/1[\s\S]*Empty Co[\s\S]*0\/0/);
    },
    FEW_PROCESSES_MS,
  );
});
