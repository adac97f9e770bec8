import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Emitter } from '@socket.io/redis-emitter';
import { TENANT_EVENT, type TenantRealtimeEvent } from '@waba/contracts';
import Redis from 'ioredis';
import { DomainEvents } from '../common/events/domain-events';
import { ApiConfig } from '../config/api-config';
import { redisOptions } from '../redis/redis-connection';
import { sessionRoom, socketIoRedisKey, tenantRoom, userRoom } from './realtime-rooms';

/**
 * The one way any process (http, worker, CLI) pushes an event to a tenant's browsers: published
 * through Redis, and delivered by whichever `http` instances hold that tenant's sockets (their
 * Socket.IO Redis adapter, realtime/redis-io.adapter.ts). Best effort: while Redis is away the push
 * is dropped (the page reloads its data when its socket reconnects); it never holds up the caller.
 */
@Injectable()
export class RealtimePublisher implements OnApplicationShutdown {
  private readonly connection: Redis;
  private readonly emitter: Emitter;

  constructor(config: ApiConfig, domainEvents: DomainEvents) {
    this.connection = new Redis({ ...redisOptions(config), enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.connection.on('error', () => undefined);
    // The emitter neither awaits nor catches its PUBLISH: Redis going away between the `ready`
    // check and the write rejected it unhandled, which ended the process. Only `publish` is used.
    const connection = this.connection;
    const quietClient = { publish: (channel: string, message: string | Buffer) => connection.publish(channel, message).catch(() => 0) };
    this.emitter = new Emitter(quietClient, { key: socketIoRedisKey(config) });
    // Sessions end in the accounts module, which does not depend on this one.
    domainEvents.on('session.ended', ({ sessionId }) => this.endSessionSockets(sessionId));
    domainEvents.on('user.sessions-ended', ({ userId, keepSessionId }) => this.endUserSockets(userId, keepSessionId));
  }

  publish(accountId: string, event: TenantRealtimeEvent): void {
    if (this.connection.status !== 'ready') return;
    this.emitter.to(tenantRoom(accountId)).emit(TENANT_EVENT, event);
  }

  /** Closes the sockets of one session (logout), on whichever instance holds them. */
  endSessionSockets(sessionId: string): void {
    if (this.connection.status !== 'ready') return;
    this.emitter.in(sessionRoom(sessionId)).disconnectSockets(true);
  }

  /** Closes every socket of a user (removed), or every one but those of `keepSessionId` (password changed). */
  endUserSockets(userId: string, keepSessionId?: string): void {
    if (this.connection.status !== 'ready') return;
    const sockets = this.emitter.in(userRoom(userId));
    (keepSessionId ? sockets.except(sessionRoom(keepSessionId)) : sockets).disconnectSockets(true);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
