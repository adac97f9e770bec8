import { isolatedRedisPrefix, testRedisUrl } from '@waba/testing';
import type Redis from 'ioredis';
import { loadApiConfig } from '../config/api-config';
import { RealtimePublisher } from './realtime-publisher';

describe('RealtimePublisher against a real Redis', () => {
  let publisher: RealtimePublisher;
  const unhandled: unknown[] = [];
  const keep = (reason: unknown) => unhandled.push(reason);

  beforeEach(async () => {
    const config = loadApiConfig({
      MONGODB_URI: 'mongodb://localhost/unused',
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: isolatedRedisPrefix('publisher'),
      TOKEN_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
    });
    publisher = new RealtimePublisher(config);
    const connection = (publisher as unknown as { connection: Redis }).connection;
    await new Promise<void>((resolve) => (connection.status === 'ready' ? resolve() : connection.once('ready', () => resolve())));
    process.on('unhandledRejection', keep);
  });

  afterEach(async () => {
    process.off('unhandledRejection', keep);
    await publisher.onApplicationShutdown();
  });

  it('drops a push quietly when Redis goes away between the ready check and the write', async () => {
    const connection = (publisher as unknown as { connection: Redis }).connection;
    // The socket is gone while ioredis still says `ready`: its PUBLISH is refused at once.
    connection.stream.destroy();
    expect(connection.status).toBe('ready');
    publisher.publish('64b0000000000000000000a0', { type: 'whatsapp.changed', reason: 'disconnected' });
    publisher.endSessionSockets('session-1');
    publisher.endUserSockets('user-1', 'session-2');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
  });
});
