import type { TenantRealtimeEvent } from '@waba/contracts';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { startFerretDb, type LaunchedDatabase } from '@waba/tools/database/database-launcher';
import { launchRedis, type LaunchedRedis } from '@waba/tools/redis/redis-launcher';
import { API_MAIN, startApiProcess, type ApiProcess } from '../support/api-process';
import { APP_SECRET, countWhere, distinctValues, inboundMessage, seedRoutableNumber } from '@waba/testing';
import { postDelivery, waitUntil, waitWhileProgressing } from '../support/webhook-delivery';

type Instance = ApiProcess & { role: 'http' | 'worker' };

/**
 * Several real processes, as behind a load balancer: two `http` and two `worker` instances of the
 * built API against one FerretDB and one Redis (with its append-only file).
 */
describe('several instances: http and worker processes sharing one database and one Redis', () => {
  let database: LaunchedDatabase;
  let redis: LaunchedRedis;
  let redisDir: string;
  let uri: string;
  const instances: Instance[] = [];

  const settings = () => ({
    MONGODB_URI: uri,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: 'instances',
    META_APP_SECRET: APP_SECRET,
    TOKEN_ENCRYPTION_KEYS: `t:${Buffer.alloc(32, 3).toString('base64')}`,
    TOKEN_CHECK_ENABLED: 'false',
    WEBHOOK_RECONCILE_INTERVAL_SECONDS: '2',
    SPA_DIR: 'does-not-exist',
    LOG_LEVEL: 'warn',
  });

  async function start(role: 'http' | 'worker'): Promise<Instance> {
    const instance = { role, ...(await startApiProcess(role, settings())) };
    instances.push(instance);
    return instance;
  }

  beforeAll(async () => {
    if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: run "npx nx build api" first (npm test does)`);
    database = await startFerretDb(process.env, () => undefined);
    uri = `${database.uri}/instances`;
    redisDir = mkdtempSync(join(tmpdir(), 'waba-instances-redis-'));
    redis = await launchRedis({ env: {}, dataDir: redisDir });
  }, 60_000);

  afterAll(async () => {
    for (const instance of instances) instance.child.kill('SIGKILL');
    await redis?.stop();
    await database?.stop();
    rmSync(redisDir, { recursive: true, force: true });
  });

  it('applies every acknowledged delivery exactly once through a worker kill, an http kill and a Redis restart; events reach sockets on the other http instance', async () => {
    const [http1, http2] = [await start('http'), await start('http')];
    const [worker1] = [await start('worker'), await start('worker')];

    // A tenant signed up through one http instance, watching live through the other.
    const signup = await fetch(`${http1.url}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'XSRF-TOKEN=t', 'x-xsrf-token': 't' },
      body: JSON.stringify({ accountName: 'Many Instances', name: 'Owner', email: 'owner@instances.example', password: 'a long enough password' }),
    });
    expect(signup.status).toBe(201);
    const accountId = ((await signup.json()) as { account: { id: string } }).account.id;
    const cookie = signup.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    const fixture = await seedRoutableNumber(uri, undefined, accountId);
    const live: TenantRealtimeEvent[] = [];
    const socket = io(http2.url as string, { path: '/socket.io', transports: ['websocket'], extraHeaders: { Cookie: cookie, Origin: http2.url as string } });
    socket.on('tenant-event', (event: TenantRealtimeEvent) => live.push(event));
    await new Promise<void>((resolveConnect) => socket.on('connect', () => resolveConnect()));

    const total = 1200;
    const acknowledged = new Set<number>();
    const payload = (i: number) => inboundMessage(fixture.wabaId, fixture.phoneNumberId, { id: `wamid.MANY${i}`, text: `m${i}` });
    const live1 = () => (http1.child.exitCode === null && http1.child.signalCode === null ? [http1, http2] : [http2]);
    let next = 0;
    const steps: string[] = [];
    const sender = async () => {
      while (next < total) {
        const i = next++;
        if (acknowledged.size >= 300 && !steps.includes('worker')) {
          steps.push('worker');
          worker1.child.kill('SIGKILL');
        }
        if (acknowledged.size >= 600 && !steps.includes('http')) {
          steps.push('http');
          http1.child.kill('SIGKILL');
        }
        if (acknowledged.size >= 900 && !steps.includes('redis')) {
          steps.push('redis');
          await redis.restart();
        }
        const targets = live1();
        if ((await postDelivery(targets[i % targets.length].url as string, payload(i))) === 200) acknowledged.add(i);
      }
    };
    await Promise.all(Array.from({ length: 12 }, sender));
    const acknowledgedDuringLoad = acknowledged.size;
    // Meta's retries: everything not acknowledged is sent again (through the load balancer, to a live instance).
    for (let round = 0; acknowledged.size < total && round < 20; round++) {
      for (let i = 0; i < total; i++) if (!acknowledged.has(i) && (await postDelivery(http2.url as string, payload(i))) === 200) acknowledged.add(i);
    }

    await waitWhileProgressing(() => countWhere(uri, 'webhook_deliveries', { status: 'applied' }), total, 30_000, 'every delivery to be applied');
    await waitUntil(async () => (await countWhere(uri, 'webhook_inbox', {})) === 0, 30_000, 'the inbox to empty');
    const keys = (await distinctValues(uri, 'tenant_events', 'key')) as string[];
    const stored = await countWhere(uri, 'webhook_deliveries', {});
    console.log(
      `instances test (2 http, 2 workers; killed ${steps.join(', then ')}): sent ${total}, acknowledged during the load ${acknowledgedDuringLoad}, ` +
        `acknowledged in all ${acknowledged.size}, stored ${stored}, applied ${keys.length} (distinct ${new Set(keys).size}); live events on the other http instance ${live.length}`,
    );
    expect(steps).toEqual(['worker', 'http', 'redis']);
    expect(acknowledged.size).toBe(total);
    expect(stored).toBe(total);
    expect(keys).toHaveLength(total);
    expect(new Set(keys).size).toBe(total);

    // After the restarts: one more message, applied by the surviving worker, pushed to the socket on http2.
    live.length = 0;
    expect(await postDelivery(http2.url as string, inboundMessage(fixture.wabaId, fixture.phoneNumberId, { id: 'wamid.LIVE', text: 'seen live' }))).toBe(200);
    await waitUntil(async () => live.some((e) => e.type === 'event.created' && e.event.detail === 'seen live'), 20_000, 'the live event on the socket');
    socket.close();
  }, 360_000);
});
