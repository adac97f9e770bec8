import { testRedisUrl } from '@waba/testing';
import Redis from 'ioredis';
import { DomainEvents } from '../common/events/domain-events';
import { redisOnlyConfig } from '../testing/redis-config';
import { RealtimePublisher } from './realtime-publisher';

describe('RealtimePublisher against a real Redis', () => {
  let publisher: RealtimePublisher;
  let domainEvents: DomainEvents;
  const unhandled: unknown[] = [];
  const keep = (reason: unknown) => unhandled.push(reason);

  beforeEach(async () => {
    const config = redisOnlyConfig('publisher');
    domainEvents = new DomainEvents();
    publisher = new RealtimePublisher(config, domainEvents);
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

  it('closes the sockets of sessions the accounts module ends, through Redis', async () => {
    const listener = new Redis(testRedisUrl());
    const messages: string[] = [];
    listener.on('pmessageBuffer', (_pattern: Buffer, _channel: Buffer, message: Buffer) => messages.push(message.toString('latin1')));
    await listener.psubscribe('*');
    domainEvents.emit('session.ended', { sessionId: 'session-9' });
    domainEvents.emit('user.sessions-ended', { userId: 'user-9', keepSessionId: 'session-8' });
    for (let i = 0; i < 100 && messages.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    await listener.quit();
    expect(messages.some((m) => m.includes('session:session-9'))).toBe(true);
    expect(messages.some((m) => m.includes('user:user-9') && m.includes('session:session-8'))).toBe(true);
  });
});
