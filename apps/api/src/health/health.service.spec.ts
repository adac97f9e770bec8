import { ServiceUnavailableException } from '@nestjs/common';
import type { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Connection } from 'mongoose';
import type { ApiConfig } from '../config/api-config';
import type { RedisClient } from '../redis/redis.module';
import { FakeClock } from '../testing/fake-clock';
import { strictMock } from '../testing/strict-mock';
import type { Draining } from './draining';
import { HealthService } from './health.service';

describe('HealthService', () => {
  const config = { DATABASE_TIMEOUT_MS: 50, INSTANCE_ROLE: 'http', META_API_VERSION: 'v25.0' } as ApiConfig;

  function serviceWith(database: () => Promise<unknown>, redisLatency: number | null) {
    const redis = strictMock<RedisClient>('redis');
    redis.ping.calledWith(50).mockResolvedValue(redisLatency);
    const terminus = strictMock<HealthCheckService>('terminus');
    const connection = { db: { command: database } } as unknown as Connection;
    return {
      terminus,
      service: new HealthService(connection, redis, config, terminus, strictMock<HealthIndicatorService>('indicators'), strictMock<Draining>('drain'), new FakeClock('2026-11-25T12:00:00Z')),
    };
  }

  it.each([
    ['ok when both answer', () => Promise.resolve({ ok: 1 }), 3, 'ok'],
    ['degraded when only Redis is away', () => Promise.resolve({ ok: 1 }), null, 'degraded'],
    ['down when the database refuses', () => Promise.reject(new Error('ECONNREFUSED')), 3, 'down'],
    ['down when the database does not answer in time', () => new Promise(() => undefined), 3, 'down'],
  ])('reports %s', async (_case, database, redisLatency, status) => {
    const view = await serviceWith(database, redisLatency).service.check();
    expect(view.status).toBe(status);
    expect(view.role).toBe('http');
    expect(view.redis).toEqual(redisLatency === null ? { status: 'down' } : { status: 'up', latencyMs: 3 });
  });

  it('answers a failing probe with 503 and the failing checks, and a passing one with 200', async () => {
    const { service, terminus } = serviceWith(() => Promise.resolve({ ok: 1 }), 3);
    const failing = { status: 'error', info: {}, error: { draining: { status: 'down' } }, details: {} };
    terminus.check.mockResolvedValueOnce({ status: 'ok', info: {}, error: {}, details: {} }).mockRejectedValueOnce(new ServiceUnavailableException(failing));

    await expect(service.liveness()).resolves.toMatchObject({ status: 200, body: { status: 'ok' } });
    await expect(service.liveness()).resolves.toEqual({ status: 503, body: failing });
    expect(terminus.check).toHaveBeenCalledWith([]);
  });
});
