import type { ProbeView } from '@waba/contracts';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import request from 'supertest';
import { freePort, startFerretDb, type LaunchedDatabase } from '@waba/tools/database/database-launcher';
import { APP_SECRET, countWhere, inboundMessage, isolatedRedisPrefix, isolatedTestDatabaseUri, signed, testRedisUrl } from '@waba/testing';
import { launchRedis, type LaunchedRedis } from '@waba/tools/redis/redis-launcher';
import { API_MAIN, startApiProcess, type ApiProcess } from '../support/api-process';
import type { Sandbox } from '../support/meta-sandbox';
import { useApiWithSandbox } from '../support/suite';
import { startTestApp, type TestApp } from '../support/test-app';
import { db, insertDueCredentials, startWorkerInstance, tokenChecks, waitFor, type CliRun } from '../token-refresh/token-check.support';
import { waitUntil } from '../support/webhook-delivery';

async function probe(baseUrl: string, path: 'live' | 'ready'): Promise<{ status: number; body: ProbeView }> {
  const response = await fetch(`${baseUrl}/api/health/${path}`, { signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: (await response.json()) as ProbeView };
}

describe('readiness when Redis stops and comes back', () => {
  let redis: LaunchedRedis;
  let api: TestApp;
  let metricsUrl: string;

  beforeAll(async () => {
    redis = await launchRedis({ env: {} });
    const metricsPort = await freePort();
    metricsUrl = `http://127.0.0.1:${metricsPort}`;
    api = await startTestApp({ REDIS_URL: redis.url, METRICS_PORT: String(metricsPort), DATABASE_TIMEOUT_MS: '1000' });
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await redis?.stop();
  });

  it('is ready with the database and Redis up, not ready while Redis is down (still live, /api/health degraded), ready again once it is back', async () => {
    const ready = await request(api.server).get('/api/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', details: { database: { status: 'up' }, redis: { status: 'up' }, draining: { status: 'up' } } });

    await redis.kill();
    await waitUntil(async () => (await probe(metricsUrl, 'ready')).status === 503, 15_000, 'readiness to fail');
    const down = await request(api.server).get('/api/health/ready');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'error', error: { redis: { status: 'down' } }, info: { database: { status: 'up' } } });
    expect((await request(api.server).get('/api/health/live')).status).toBe(200);
    expect((await probe(metricsUrl, 'live')).status).toBe(200);
    const health = await request(api.server).get('/api/health');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('degraded');

    await redis.restart();
    await waitUntil(async () => (await probe(metricsUrl, 'ready')).status === 200, 20_000, 'readiness to recover');
    expect((await request(api.server).get('/api/health/ready')).body).toMatchObject({ status: 'ok', details: { redis: { status: 'up' } } });
  });
});

/** A private FerretDB it can stop, so the rest of the run keeps its database. */
describe('readiness when the database is unreachable', () => {
  let database: LaunchedDatabase;
  let api: TestApp;

  beforeAll(async () => {
    database = await startFerretDb(process.env, () => undefined);
    api = await startTestApp({ MONGODB_URI: `${database.uri}/readiness_test`, DATABASE_TIMEOUT_MS: '1000' });
  }, 60_000);
  afterAll(async () => {
    await api.close().catch(() => undefined);
    await database.stop();
  });

  it('answers 503 naming the database, while liveness stays 200', async () => {
    expect((await request(api.server).get('/api/health/ready')).status).toBe(200);
    await database.stop();
    const ready = await request(api.server).get('/api/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'error', error: { database: { status: 'down', message: 'no answer within 1000 ms' } } });
    expect((await request(api.server).get('/api/health/live')).status).toBe(200);
  });
});

describe('SIGTERM drains a built API process', () => {
  let instance: ApiProcess | undefined;
  const databaseUri = isolatedTestDatabaseUri('drain');

  beforeAll(() => {
    if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: run "npx nx build api" first (npm test does)`);
  });
  afterAll(() => {
    if (instance?.child.exitCode === null) instance.child.kill('SIGKILL');
  });

  it('reports draining at once (on the public port too, during SHUTDOWN_DELAY_MS), answers the request in flight in full, then exits 0', async () => {
    const metricsPort = await freePort();
    const metricsUrl = `http://127.0.0.1:${metricsPort}`;
    instance = await startApiProcess('http', {
      MONGODB_URI: databaseUri,
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: isolatedRedisPrefix('drain'),
      META_APP_SECRET: APP_SECRET,
      TOKEN_ENCRYPTION_KEYS: `t:${Buffer.alloc(32, 4).toString('base64')}`,
      TOKEN_CHECK_ENABLED: 'false',
      SPA_DIR: 'does-not-exist',
      LOG_LEVEL: 'warn',
      METRICS_PORT: String(metricsPort),
      // The load balancer's time to notice: the public port keeps answering, readiness 503.
      SHUTDOWN_DELAY_MS: '5000',
    });
    const child = instance.child;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    expect((await probe(metricsUrl, 'ready')).status).toBe(200);
    // Only a worker lowers its priority (WORKER_NICE).
    expect(threadNiceValues(child.pid as number)).toEqual(new Set([0]));

    // A webhook whose body is still on its way: the server has read its headers (100 Continue)
    // and waits for the rest, which the test sends only after SIGTERM.
    const message = signed(JSON.stringify(inboundMessage('418888888888888', '618888888888888', { id: 'wamid.DRAIN', text: 'in flight' })));
    const half = Math.floor(message.body.length / 2);
    const inFlight = startSlowPost(`${instance.url}/api/webhooks/whatsapp`, message.body.length, { 'content-type': 'application/json', 'x-hub-signature-256': message.signature });
    await inFlight.headersRead;
    inFlight.request.write(message.body.subarray(0, half));

    child.kill('SIGTERM');
    await waitUntil(async () => (await probe(metricsUrl, 'ready').catch(() => null))?.status === 503, 10_000, 'readiness to report draining');
    const draining = await probe(metricsUrl, 'ready');
    // terminus says `shutting_down` once Nest's shutdown has begun; our own check names the reason.
    expect(draining.body).toMatchObject({ status: 'shutting_down', error: { draining: { status: 'down' } } });
    expect(child.exitCode).toBeNull();
    // What the load balancer sees on the public port during SHUTDOWN_DELAY_MS.
    expect((await probe(instance.url as string, 'ready')).status).toBe(503);

    inFlight.request.end(message.body.subarray(half));
    const response = await inFlight.response;
    expect(response.statusCode).toBe(200);
    expect(await exited).toBe(0);
    // Answered in full: the delivery was stored before the 200, and the process has gone.
    expect(await countWhere(databaseUri, 'webhook_inbox', {})).toBe(1);
  });
});

/** A POST whose body the caller writes itself; `headersRead` resolves when the server asks for the body (Expect: 100-continue). */
function startSlowPost(url: string, length: number, headers: Record<string, string>): { request: ClientRequest; headersRead: Promise<void>; response: Promise<IncomingMessage> } {
  const target = new URL(url);
  const request = httpRequest({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { ...headers, 'content-length': String(length), expect: '100-continue' } });
  const headersRead = new Promise<void>((resolve) => request.once('continue', () => resolve()));
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    request.once('response', (answer) => {
      answer.resume();
      answer.once('end', () => resolve(answer));
    });
    request.once('error', reject);
  });
  request.flushHeaders();
  return { request, headersRead, response };
}

describe('SIGTERM drains a built worker process', () => {
  let api: TestApp;
  let sandbox: Sandbox;
  let worker: CliRun | undefined;

  // This app runs no jobs: only the worker process does, on the same database, Redis and queues.
  useApiWithSandbox((started) => ({ api, sandbox } = started), { INSTANCE_ROLE: 'http' });
  afterAll(() => {
    if (worker?.child.exitCode === null) worker.child.kill('SIGKILL');
  });

  it('serves its metrics and probes on METRICS_PORT, finishes the job it is running, then exits 0', async () => {
    await insertDueCredentials(api, sandbox, 1);
    // The check's Graph call is slow: the job is still running at the scrape and when SIGTERM
    // arrives, even on a loaded machine where reading the metrics takes seconds.
    await sandbox.control('POST', '/faults', { endpoint: 'GET /debug_token', count: 1, latencyMs: 15_000 });
    const metricsPort = await freePort();
    const metricsUrl = `http://127.0.0.1:${metricsPort}`;
    // A scrape's collectors give up after DATABASE_TIMEOUT_MS and leave a gauge unset; on a loaded
    // machine the first reads of the queues can take that long, so the test allows more and scrapes again.
    worker = await startWorkerInstance(api, sandbox, { TOKEN_CHECK_INTERVAL_SECONDS: '1', METRICS_PORT: String(metricsPort), DATABASE_TIMEOUT_MS: '4000' });
    await waitFor(async () => (await tokenChecks(api).getJobs(['active'])).some((job) => job.name === 'check'), 20_000, 'the check job to start');
    const activeCheck = /^waba_queue_jobs\{[^}]*queue="token-checks"[^}]*state="active"[^}]*\} 1$/m;
    await waitFor(async () => activeCheck.test(await (await fetch(`${metricsUrl}/metrics`)).text()), 8_000, 'the scrape to show the running check');
    expect((await probe(metricsUrl, 'ready')).status).toBe(200);
    // WORKER_NICE (10 by default) on every thread: applying gives way to http instances on a shared host.
    expect(threadNiceValues(worker.child.pid as number)).toEqual(new Set([10]));

    worker.child.kill('SIGTERM');
    await waitUntil(async () => (await probe(metricsUrl, 'ready').catch(() => null))?.status === 503, 10_000, 'readiness to report draining');
    expect((await probe(metricsUrl, 'ready')).body.error).toMatchObject({ draining: { status: 'down' } });

    const { code } = await worker.done;
    expect(code).toBe(0);
    // The job ran to its end in this worker: completed, never stalled, and the credential checked.
    const completed = (await tokenChecks(api).getJobs(['completed'])).filter((job) => job.name === 'check');
    expect(completed).toHaveLength(1);
    expect(completed[0].stalledCounter).toBe(0);
    expect(
      await db(api)
        .collection('meta_connections')
        .countDocuments({ lastCheckedAt: { $ne: null } }),
    ).toBe(1);
  }, 60_000);
});

/** The nice value of each of a process's threads (Linux: field 19 of /proc/<pid>/task/<tid>/stat). */
function threadNiceValues(pid: number): Set<number> {
  return new Set(readdirSync(`/proc/${pid}/task`).map((tid) => Number(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16])));
}
