import { redisOnlyConfig } from '../testing/redis-config';
import { RedisClient } from '../redis/redis.module';
import { IngestPressure } from './ingest-pressure';

describe('IngestPressure against a real Redis', () => {
  let redis: RedisClient;

  beforeEach(async () => {
    const config = redisOnlyConfig('pressure');
    redis = new RedisClient(config);
    await new Promise<void>((resolve) => (redis.ready ? resolve() : redis.connection.once('ready', () => resolve())));
  });

  afterEach(() => redis.onApplicationShutdown());

  it('is saturated for a moment after an endpoint says so, on another process too', async () => {
    const endpoint = new IngestPressure(redis);
    const worker = new IngestPressure(redis);
    expect(await worker.isSaturated()).toBe(false);

    endpoint.markSaturated();
    await redis.connection.ping(); // the SET went ahead of this

    expect(await worker.isSaturated()).toBe(true);
    const ttl = await redis.connection.pttl(redis.key('webhooks', 'ingest-saturated'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300);
  });

  it('writes at most one mark per 100 ms however often the endpoint says so', async () => {
    const endpoint = new IngestPressure(redis);
    const set = jest.spyOn(redis.connection, 'set');
    for (let i = 0; i < 50; i++) endpoint.markSaturated();
    expect(set).toHaveBeenCalledTimes(1);
  });

  it('answers not saturated, without waiting, while Redis is away', async () => {
    const pressure = new IngestPressure(redis);
    redis.connection.disconnect();
    expect(await pressure.isSaturated()).toBe(false);
    expect(() => pressure.markSaturated()).not.toThrow();
  });
});
