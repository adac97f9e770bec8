import type { ConnectionView, TenantRealtimeEvent } from '@waba/contracts';
import { Worker } from 'bullmq';
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Types } from 'mongoose';
import { io } from 'socket.io-client';
import { startFerretDb } from '@waba/tools/database/database-launcher';
import { APP_ID, APP_SECRET, VERSION } from '@waba/testing';
import { Clock } from '@waba/api/common/clock/clock';
import { TokenCipher, tokenBinding } from '@waba/api/common/crypto/token-cipher';
import { TOKEN_CHECKS_QUEUE } from '@waba/api/jobs/job-queues';
import { TokenCheckRunner } from '@waba/api/token-refresh/token-check-jobs';
import { wabaIdOf, type Sandbox } from '../support/meta-sandbox';
import { useApiWithSandbox } from '../support/suite';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTenant, type SignedInTenant } from '../support/tenants';
import { connectBySignup, connectionOf, connectMintedToken, db, debugCalls, insertDueCredentials, movableClock, sweep, tokenChecks, waitFor } from './token-check.support';

const DAY_MS = 86_400_000;

describe('token check: debug_token, extension, reconnect, and what never means reconnect', () => {
  let api: TestApp;
  let sandbox: Sandbox;
  let clock: ReturnType<typeof movableClock>;

  // The clock only moves forward, as time does (resets between tests leave it). This app runs no
  // worker of its own (INSTANCE_ROLE http): each sweep's own worker runs the checks, `concurrency` wide.
  useApiWithSandbox(
    (running) => {
      ({ api, sandbox } = running);
      clock = movableClock(api, sandbox);
    },
    { META_GRAPH_TIMEOUT_MS: '300', INSTANCE_ROLE: 'http' },
  );

  const apiNow = () => api.app.get(Clock).now().getTime();
  const stored = async () => db(api).collection('meta_connections').findOne({});

  it('keeps a never-expiring business token healthy and looks again a day later', async () => {
    await sandbox.control('PATCH', '/settings', { businessTokenExpiresInSeconds: null });
    const tenant = await createTenant(api.server);
    const token = await connectBySignup(api, sandbox, tenant, ['+1 555-010-0199']);

    expect((await sweep(api)).counts.checked).toBe(0); // just granted and checked: not due yet
    await clock.advance(DAY_MS + 60_000);
    const run = await sweep(api);
    expect(run.counts).toMatchObject({ checked: 1, healthy: 1, extended: 0, needsReauth: 0, failed: 0 });
    expect(await stored()).toMatchObject({ status: 'active', expiresAt: null, lastError: null }); // the session expired with the day
    expect((await debugCalls(sandbox))[token]).toBeGreaterThanOrEqual(1);
    const nextCheckAt = (await stored())?.['nextCheckAt'] as Date;
    expect(nextCheckAt.getTime() - apiNow()).toBeGreaterThan(DAY_MS - 60_000);
    const runs = await db(api).collection('token_check_runs').find({}).toArray();
    expect(runs.at(-1)).toMatchObject({ trigger: 'manual', dryRun: false, counts: expect.objectContaining({ healthy: 1 }) });
    expect(runs.at(-1)?.['finishedAt']).toBeInstanceOf(Date);
  });

  it('extends an expiring system-user token and stores the new one encrypted', async () => {
    const tenant = await createTenant(api.server);
    const old = await connectMintedToken(sandbox, tenant, { expiresInSeconds: 3 * 24 * 3600, type: 'SYSTEM_USER' });
    const before = await stored();

    const run = await sweep(api); // a grant inside the extension window is due at once
    expect(run.counts).toMatchObject({ checked: 1, extended: 1 });
    const after = await stored();
    expect(after?.['tokenFingerprint']).not.toBe(before?.['tokenFingerprint']);
    expect(String(after?.['encryptedToken'])).toMatch(/^v2\.test\./);
    expect(String(after?.['encryptedToken'])).not.toContain(old);
    const fresh = api.app.get(TokenCipher).decrypt(String(after?.['encryptedToken']), tokenBinding(String(after?.['accountId']), String(after?.['tokenFingerprint'])));
    expect(fresh).not.toBe(old);
    expect((await sandbox.client().debugToken(fresh)).is_valid).toBe(true);

    const connection = (await connectionOf(tenant)) as ConnectionView;
    expect(connection.status).toBe('active');
    expect((Date.parse(connection.expiresAt ?? '') - Date.now()) / DAY_MS).toBeGreaterThan(59);
    const audit = (await tenant.browser.get('/api/audit-log')).body as Array<{ action: string }>;
    expect(audit.map((a) => a.action)).toContain('connection.extended');
    expect(api.logs.text).not.toContain(fresh);
    expect(api.logs.text).not.toContain(old);
  });

  it('marks an expired token needs_reauth at the first answer (no retry) and stops checking it', async () => {
    const tenant = await createTenant(api.server);
    const token = await connectMintedToken(sandbox, tenant);
    await sandbox.control('POST', '/tokens/expire', { token });
    const callsBefore = (await debugCalls(sandbox))[token] ?? 0;

    const run = await sweep(api, { all: true });
    expect(run.counts).toMatchObject({ checked: 1, needsReauth: 1 });
    expect((await debugCalls(sandbox))[token]).toBe(callsBefore + 1);
    const [job] = await tokenChecks(api).getJobs(['completed']);
    expect(job).toMatchObject({ attemptsMade: 1, returnvalue: { kind: 'needs_reauth' } }); // BullMQ counts the successful attempt too
    const connection = await connectionOf(tenant);
    expect(connection).toMatchObject({ status: 'needs_reauth' });
    expect(connection?.lastError).toMatch(/expired/i);
    expect(connection?.lastError).not.toContain(token);

    const calls = (await debugCalls(sandbox))[token];
    await clock.advance(30 * DAY_MS);
    expect((await sweep(api, { all: true })).counts.checked).toBe(0);
    expect((await debugCalls(sandbox))[token]).toBe(calls);
  });

  it('tells the tenant live when Meta revoked the token, and nobody else', async () => {
    const [tenant, other] = [await createTenant(api.server, 'Revoked'), await createTenant(api.server, 'Bystander')];
    const token = await connectMintedToken(sandbox, tenant);
    await connectMintedToken(sandbox, other, { business: 'Acme Bakery', phone: '+1 555-010-0199' });
    await api.app.listen(0, '127.0.0.1');
    const port = (api.server.address() as AddressInfo).port;
    const cookieOf = (t: SignedInTenant) => [...t.browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const received = new Map<SignedInTenant, TenantRealtimeEvent[]>([
      [tenant, []],
      [other, []],
    ]);
    const sockets = [tenant, other].map((t) =>
      io(`http://127.0.0.1:${port}`, { path: '/socket.io', transports: ['websocket'], extraHeaders: { Cookie: cookieOf(t) } }).on('tenant-event', (event: TenantRealtimeEvent) =>
        received.get(t)?.push(event),
      ),
    );
    try {
      await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.on('connect', () => resolve()))));
      await sandbox.control('POST', '/tokens/revoke', { token, subcode: 460 });
      const run = await sweep(api, { all: true });
      expect(run.counts).toMatchObject({ checked: 2, needsReauth: 1, healthy: 1 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const events = received.get(tenant) ?? [];
      expect(events).toContainEqual({ type: 'connection.updated', connection: expect.objectContaining({ status: 'needs_reauth', lastError: expect.stringMatching(/password/) }) });
      expect(received.get(other)).toEqual([]);
      expect(JSON.stringify(events)).not.toContain(token);
    } finally {
      sockets.forEach((s) => s.close());
    }
  });

  it('asks for reconnection when the grant no longer covers a connected WABA', async () => {
    const tenant = await createTenant(api.server);
    const token = await connectBySignup(api, sandbox, tenant, ['+1 555-010-0199']);
    const granted = await sandbox.client().debugToken(token);
    const connected = wabaIdOf(sandbox, 'Acme Bakery');
    const remaining = (granted.granular_scopes?.find((s) => s.scope === 'whatsapp_business_management')?.target_ids ?? []).filter((id) => id !== connected);
    expect(remaining.length).toBeGreaterThan(0); // the other WABA stays granted; only the connected one went
    await sandbox.control('POST', '/tokens/grant', { token, wabaIds: remaining });

    const run = await sweep(api, { all: true });
    expect(run.counts).toMatchObject({ checked: 1, needsReauth: 1 });
    const connection = await connectionOf(tenant);
    expect(connection?.status).toBe('needs_reauth');
    expect(connection?.lastError).toBe(`Meta no longer grants access to WhatsApp Business Account ${connected}`);
  });

  it('retries a check that met a 5xx after the back-off, leaving the connection as it was meanwhile', async () => {
    const tenant = await createTenant(api.server);
    const token = await connectMintedToken(sandbox, tenant);
    const before = await connectionOf(tenant);
    const callsBefore = (await debugCalls(sandbox))[token] ?? 0;
    // The client retries a 5xx twice: three failures make one attempt of the job fail.
    await sandbox.control('POST', '/faults', { endpoint: 'GET /debug_token', count: 3, error: { httpStatus: 502 } });

    const started = Date.now();
    const run = await sweep(api, { all: true });
    expect(run.counts).toMatchObject({ checked: 1, healthy: 1, failed: 0, needsReauth: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_500); // BullMQ's back-off (job-queues.ts)
    expect((await debugCalls(sandbox))[token]).toBe(callsBefore + 1); // the sandbox counts answered calls only
    const [job] = await tokenChecks(api).getJobs(['completed']);
    expect(job).toMatchObject({ attemptsMade: 2, returnvalue: { kind: 'healthy' } });
    expect(await connectionOf(tenant)).toMatchObject({ status: before?.status, lastError: null });
    expect(await stored()).toMatchObject({ status: 'active', checkFailures: 0, lastCheckFailure: null });
  });

  it('treats a debug_token timeout like a 5xx: no reconnect, retried', async () => {
    const tenant = await createTenant(api.server);
    await connectMintedToken(sandbox, tenant);
    await sandbox.control('POST', '/faults', { endpoint: 'GET /debug_token', count: 3, latencyMs: 700 });

    expect((await sweep(api, { all: true })).counts).toMatchObject({ checked: 1, healthy: 1, failed: 0, needsReauth: 0 });
    const [job] = await tokenChecks(api).getJobs(['completed']);
    expect(job).toMatchObject({ attemptsMade: 2 });
    expect((job.stacktrace ?? []).join()).toMatch(/timed out|network error/);
    expect(await stored()).toMatchObject({ status: 'active', checkFailures: 0, lastError: null });
  });

  it('writes the failure of a check job that failed without writing it (stalled out), so the credential is queued again', async () => {
    const tenant = await createTenant(api.server);
    await connectMintedToken(sandbox, tenant);
    const doc = await stored();
    const dueAt = apiNow() - 1_000;
    await db(api)
      .collection('meta_connections')
      .updateOne({ _id: doc?._id }, { $set: { nextCheckAt: new Date(dueAt) } });
    // What BullMQ does to a job whose workers died holding it too often: failed, no attempt left.
    const queue = tokenChecks(api);
    await queue.add('check', { connectionId: String(doc?._id), dueAt }, { jobId: `${String(doc?._id)}-${dueAt}`, attempts: 1 });
    const worker = new Worker(TOKEN_CHECKS_QUEUE, null, { connection: queue.opts.connection, prefix: queue.opts.prefix });
    try {
      const job = await worker.getNextJob('test-lock');
      await job?.moveToFailed(new Error('job stalled more than allowable limit'), 'test-lock');
    } finally {
      await worker.close();
    }

    expect((await sweep(api)).counts).toMatchObject({ checked: 1, failed: 1 });
    const failed = await stored();
    expect(failed).toMatchObject({ status: 'active', checkFailures: 1, lastCheckFailure: 'job stalled more than allowable limit' });
    expect((failed?.['nextCheckAt'] as Date).getTime()).toBeGreaterThan(apiNow() + 30_000);
    await clock.advance(2 * 60_000);
    expect((await sweep(api)).counts).toMatchObject({ checked: 1, healthy: 1 });
    expect(await stored()).toMatchObject({ checkFailures: 0, lastCheckFailure: null });
  });

  it('retries checks through a database outage without using up their attempts', async () => {
    const database = await startFerretDb(process.env, () => undefined, { keepData: true });
    const down = await startTestApp({
      MONGODB_URI: `${database.uri}/token_checks_down`,
      INSTANCE_ROLE: 'http',
      META_GRAPH_URL: sandbox.baseUrl,
      META_APP_ID: APP_ID,
      META_APP_SECRET: APP_SECRET,
      META_API_VERSION: VERSION,
    });
    let back: Awaited<ReturnType<typeof startFerretDb>> | undefined;
    try {
      await insertDueCredentials(down, sandbox, 3);
      await sandbox.control('POST', '/faults', { endpoint: 'GET /debug_token', count: 3, latencyMs: 4000 });
      const run = sweep(down, { concurrency: 3 });
      await waitFor(async () => (await tokenChecks(down).getActiveCount()) === 3, 10_000, 'the three checks to wait for Meta');
      await database.stop(); // their result writes fail (after DATABASE_TIMEOUT_MS), and so do the reads of their retries
      await new Promise((r) => setTimeout(r, 8_000));
      back = await startFerretDb(process.env, () => undefined, { port: database.port, dataDir: database.dataDir });

      expect((await run).counts).toMatchObject({ checked: 3, healthy: 3, failed: 0 });
      const jobs = (await tokenChecks(down).getJobs(['completed'])).filter((j) => j.name === 'check');
      expect(jobs.map((j) => j.attemptsMade)).toEqual([1, 1, 1]); // the successful attempt only
      expect(jobs.every((j) => j.attemptsStarted > 1)).toBe(true); // they did run more than once
      expect(await db(down).collection('meta_connections').countDocuments({ lastCheckedAt: null })).toBe(0);
    } finally {
      await down.close();
      await back?.stop();
      rmSync(database.dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('changes nothing in a dry run, yet reports what it would do', async () => {
    const [a, b] = [await createTenant(api.server, 'Expiring'), await createTenant(api.server, 'Expired')];
    await connectMintedToken(sandbox, a, { expiresInSeconds: 3 * 24 * 3600, type: 'SYSTEM_USER' });
    const dead = await connectMintedToken(sandbox, b, { business: 'Acme Bakery', phone: '+1 555-010-0199' });
    await sandbox.control('POST', '/tokens/expire', { token: dead });
    const snapshot = async () => JSON.stringify(await db(api).collection('meta_connections').find({}).sort({ _id: 1 }).toArray());
    const before = await snapshot();
    const tokensBefore = sandbox.world.tokens.size;

    const run = await sweep(api, { dryRun: true, all: true });
    expect(run.counts).toMatchObject({ checked: 2, extended: 1, needsReauth: 1 });
    expect(await snapshot()).toBe(before);
    expect(sandbox.world.tokens.size).toBe(tokensBefore); // no fb_exchange_token
    expect(await tokenChecks(api).count()).toBe(0); // no jobs
    expect(
      await db(api)
        .collection('token_check_runs')
        .findOne({ _id: new Types.ObjectId(run.runId) }),
    ).toMatchObject({ dryRun: true });
  });

  // Last in the file: Meta's shortest back-off is a minute of real time (BullMQ's delays and the
  // Redis back-off do not follow the test clock), and this test waits it out.
  it('backs off the rate-limited WABA only, for every run, and finishes it once Meta allows again', async () => {
    const [a, b] = [await createTenant(api.server, 'Northwind'), await createTenant(api.server, 'Acme')];
    await connectMintedToken(sandbox, a, { phone: '+44 7700 900461' });
    await connectMintedToken(sandbox, a, { phone: '+44 7700 900462' }); // a second credential on the same WABA
    await connectMintedToken(sandbox, b, { business: 'Acme Bakery', phone: '+1 555-010-0199' });
    const callsBefore = Object.values(await debugCalls(sandbox)).reduce((sum, n) => sum + n, 0);
    await sandbox.control('POST', '/faults', { endpoint: 'GET /debug_token', count: 1, error: { code: 80007, regainAccessMinutes: 1 } });

    const first = await sweep(api, { all: true, concurrency: 1 });
    const delayed = (await tokenChecks(api).getJobs(['delayed'])).filter((j) => j.name === 'check');
    const docs = await db(api).collection('meta_connections').find({}).toArray();
    const wabasOf = (id: string) => (docs.find((d) => String(d['_id']) === id)?.['grantedWabaIds'] as string[]).join();
    expect(first.counts.deferred).toBe(delayed.length);
    expect(delayed.length).toBeGreaterThanOrEqual(1);
    expect(first.counts.healthy).toBe(3 - delayed.length); // the other WABA was not held up
    expect(first.counts.healthy).toBeGreaterThanOrEqual(1);
    expect(new Set(delayed.map((j) => wabasOf(j.data.connectionId))).size).toBe(1); // only one WABA backed off
    for (const job of delayed) expect(job.timestamp + job.delay - Date.now()).toBeGreaterThan(40_000);
    expect(docs.every((d) => d['status'] === 'active' && d['lastError'] === null)).toBe(true);
    // The sandbox counts answered calls: the refused one is not; the WABA's other credential was not even tried.
    const answered = async () => Object.values(await debugCalls(sandbox)).reduce((sum, n) => sum + n, 0) - callsBefore;
    expect(await answered()).toBe(3 - delayed.length);

    // Another run finds the same jobs waiting, and leaves Meta alone too.
    expect((await sweep(api)).counts).toMatchObject({ checked: 0, deferred: delayed.length });

    // Once the minute is over, any worker finishes them (this app has none: one is started here).
    const worker = api.app.get(TokenCheckRunner).startWorker(1);
    try {
      await waitFor(
        async () =>
          (await db(api)
            .collection('meta_connections')
            .countDocuments({ nextCheckAt: { $lt: new Date(apiNow() + 3_600_000) } })) === 0,
        80_000,
        'the deferred checks',
      );
    } finally {
      await worker.close();
    }
    expect(await answered()).toBe(3);
  }, 120_000);
});
