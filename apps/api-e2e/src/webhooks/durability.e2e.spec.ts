import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import { freePort, startFerretDb } from '@waba/tools/database/database-launcher';
import { APP_SECRET, countWhere, distinctValues, inboundMessage, insertInto, isolatedRedisPrefix, seedRoutableNumber, signed, testRedisUrl } from '@waba/testing';
import { launchRedis } from '@waba/tools/redis/redis-launcher';
import { webhooksSettled } from '../support/jobs';
import { startTestApp } from '../support/test-app';
import { packBody } from '@waba/api/webhooks/stored-body';
import { postDelivery, waitUntil } from '../support/webhook-delivery';

const ROOT = resolve(__dirname, '../../../..');
const API_MAIN = resolve(ROOT, 'dist/apps/api/main.js');

describe('webhook durability', () => {
  it('queues stored deliveries that never became jobs (a crash, Redis down), applied once across instances', async () => {
    const database = await startFerretDb(process.env, () => undefined);
    const uri = `${database.uri}/webhooks_reconcile`;
    const fixture = await seedRoutableNumber(uri);
    // Stored before the 200, but the process died before queueing them; a third the way versions
    // before deflated bodies stored them (the body as text), which a restart must still apply.
    const entries = Array.from({ length: 30 }, (_, i) => {
      const body = JSON.stringify(inboundMessage(fixture.wabaId, fixture.phoneNumberId, { id: `wamid.ORPHAN${i}`, text: `o${i}` }));
      return { _id: `orphan-${i}`, ...(i % 3 ? { body: packBody(body) } : { rawBody: body }), sizeBytes: body.length, receivedAt: new Date(Date.now() - 60_000), acceptId: `accept-${i}` };
    });
    await insertInto(uri, 'webhook_inbox', entries);
    const prefix = isolatedRedisPrefix('reconcile');
    const instances = await Promise.all([0, 1, 2].map(() => startTestApp({ MONGODB_URI: uri, META_APP_SECRET: APP_SECRET, REDIS_KEY_PREFIX: prefix, WEBHOOK_RECONCILE_INTERVAL_SECONDS: '1' })));
    try {
      await waitUntil(async () => (await countWhere(uri, 'webhook_inbox', {})) === 0, 20_000, 'the stranded inbox to be applied');
      await Promise.all(instances.map((instance) => webhooksSettled(instance.app)));
      expect(await countWhere(uri, 'webhook_deliveries', { status: 'applied' })).toBe(30);
      const keys = (await distinctValues(uri, 'tenant_events', 'key')) as string[];
      expect(new Set(keys).size).toBe(30);
      expect(keys).toHaveLength(30);
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
      await database.stop();
    }
  }, 60_000);

  it('keeps answering 200 while Redis is down, and applies everything once Redis is back', async () => {
    const redis = await launchRedis({ env: {} });
    const database = await startFerretDb(process.env, () => undefined);
    const uri = `${database.uri}/webhooks_redis_down`;
    const fixture = await seedRoutableNumber(uri);
    const api = await startTestApp({ MONGODB_URI: uri, META_APP_SECRET: APP_SECRET, REDIS_URL: redis.url, WEBHOOK_RECONCILE_INTERVAL_SECONDS: '1' });
    const send = (i: number) => {
      const message = signed(JSON.stringify(inboundMessage(fixture.wabaId, fixture.phoneNumberId, { id: `wamid.NOREDIS${i}`, text: `r${i}` })));
      return request(api.server).post('/api/webhooks/whatsapp').set('Content-Type', 'application/json').set('X-Hub-Signature-256', message.signature).send(message.body.toString('utf8'));
    };
    try {
      for (let i = 0; i < 3; i++) expect((await send(i)).status).toBe(200);
      await webhooksSettled(api.app);
      await redis.kill();

      for (let i = 3; i < 10; i++) {
        const started = Date.now();
        expect((await send(i)).status).toBe(200);
        expect(Date.now() - started).toBeLessThan(2000);
      }
      const health = await request(api.server).get('/api/health');
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'degraded', database: { status: 'up' }, redis: { status: 'down' } });
      expect(await countWhere(uri, 'webhook_inbox', {})).toBe(7);

      await redis.restart();
      await waitUntil(async () => (await countWhere(uri, 'webhook_deliveries', { status: 'applied' })) === 10, 30_000, 'the deliveries stored while Redis was down to be applied');
      await webhooksSettled(api.app);
      expect(new Set((await distinctValues(uri, 'tenant_events', 'key')) as string[]).size).toBe(10);
      expect((await request(api.server).get('/api/health')).body.status).toBe('ok');
    } finally {
      await api.close();
      await redis.stop();
      await database.stop();
    }
  }, 90_000);

  it('answers 503 within two seconds while the database is down, and loses nothing once it is back', async () => {
    const database = await startFerretDb(process.env, () => undefined, { keepData: true });
    const uri = `${database.uri}/webhooks_down`;
    const fixture = await seedRoutableNumber(uri);
    const api = await startTestApp({ MONGODB_URI: uri, META_APP_SECRET: APP_SECRET });
    const deliveryFor = (i: number) => inboundMessage(fixture.wabaId, fixture.phoneNumberId, { id: `wamid.DOWN${i}`, text: `m${i}` });
    const send = (i: number) => {
      const message = signed(JSON.stringify(deliveryFor(i)));
      return request(api.server).post('/api/webhooks/whatsapp').set('Content-Type', 'application/json').set('X-Hub-Signature-256', message.signature).send(message.body.toString('utf8'));
    };
    try {
      for (let i = 0; i < 5; i++) expect((await send(i)).status).toBe(200);
      await database.stop();

      for (let i = 5; i < 8; i++) {
        const started = Date.now();
        const response = await send(i);
        expect(response.status).toBe(503);
        expect(Date.now() - started).toBeLessThan(2000);
      }

      const back = await startFerretDb(process.env, () => undefined, { port: database.port, dataDir: database.dataDir });
      try {
        // Meta retries what was not acknowledged.
        await waitUntil(async () => (await send(5)).status === 200, 15_000, 'the database to come back');
        for (let i = 6; i < 8; i++) expect((await send(i)).status).toBe(200);
        await waitUntil(async () => (await countWhere(uri, 'tenant_events', {})) === 8, 15_000, 'all eight to be applied');
        await webhooksSettled(api.app);
        expect(await countWhere(uri, 'webhook_deliveries', { status: 'applied' })).toBe(8);
      } finally {
        await api.close();
        await back.stop();
      }
    } finally {
      rmSync(database.dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('keeps every acknowledged delivery through a SIGKILL of the API, applied exactly once', async () => {
    if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: run "npx nx build api" first (npm test does)`);
    const database = await startFerretDb(process.env, () => undefined);
    const uri = `${database.uri}/webhooks_crash`;
    const fixture = await seedRoutableNumber(uri);
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const redisPrefix = isolatedRedisPrefix('crash');
    const startApi = async (): Promise<ChildProcess> => {
      const child = spawn(process.execPath, [API_MAIN], {
        cwd: ROOT,
        env: {
          ...process.env,
          API_PORT: String(port),
          MONGODB_URI: uri,
          REDIS_URL: testRedisUrl(),
          REDIS_KEY_PREFIX: redisPrefix,
          WEBHOOK_RECONCILE_INTERVAL_SECONDS: '2',
          META_APP_SECRET: APP_SECRET,
          LOG_LEVEL: 'warn',
          SPA_DIR: 'does-not-exist',
          TOKEN_ENCRYPTION_KEYS: `t:${Buffer.alloc(32, 3).toString('base64')}`,
        },
        stdio: 'ignore',
      });
      await waitUntil(
        async () =>
          (await fetch(`${baseUrl}/api/health`).then(
            (r) => r.status,
            () => 0,
          )) === 200,
        30_000,
        'the API to start',
      );
      return child;
    };

    const total = 400;
    const acknowledged = new Set<number>();
    let api = await startApi();
    try {
      let next = 0;
      let killed = false;
      const worker = async () => {
        while (next < total) {
          const i = next++;
          if (!killed && acknowledged.size >= 120) {
            killed = true;
            api.kill('SIGKILL');
          }
          if ((await postDelivery(baseUrl, inboundMessage(fixture.wabaId, fixture.phoneNumberId, { id: `wamid.CRASH${i}`, text: `c${i}` }))) === 200) acknowledged.add(i);
        }
      };
      await Promise.all(Array.from({ length: 16 }, worker));
      const acknowledgedBeforeRestart = acknowledged.size;

      api = await startApi();
      // Meta's retries: everything not acknowledged is sent again until it is.
      for (let i = 0; i < total; i++) {
        if (!acknowledged.has(i) && (await postDelivery(baseUrl, inboundMessage(fixture.wabaId, fixture.phoneNumberId, { id: `wamid.CRASH${i}`, text: `c${i}` }))) === 200) acknowledged.add(i);
      }
      // Archived as applied is not yet done: a delivery whose worker was killed between archiving and
      // its events is finished by the next worker once its job's lock lapses; the inbox empties last.
      await waitUntil(
        async () => (await countWhere(uri, 'webhook_deliveries', { status: 'applied' })) === total && (await countWhere(uri, 'webhook_inbox', {})) === 0,
        60_000,
        'every delivery to be applied',
      );

      const keys = (await distinctValues(uri, 'tenant_events', 'key')) as string[];
      const stored = await countWhere(uri, 'webhook_deliveries', {});
      console.log(`crash test: sent ${total}, acknowledged before the kill ${acknowledgedBeforeRestart}, acknowledged in all ${acknowledged.size}, stored ${stored}, applied events ${keys.length}`);
      expect(acknowledgedBeforeRestart).toBeGreaterThanOrEqual(120);
      expect(acknowledged.size).toBe(total);
      expect(stored).toBe(total);
      expect(keys).toHaveLength(total);
      expect(new Set(keys).size).toBe(total);
      for (let i = 0; i < total; i++) expect(keys).toContain(`message:wamid.CRASH${i}`);
    } finally {
      api.kill('SIGKILL');
      await database.stop();
    }
  }, 120_000);
});
