import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import type { ApiConfig } from '../config/api-config';
import { redisOptions } from '../redis/redis-connection';
import { socketIoRedisKey } from './realtime-rooms';

/**
 * Socket.IO with the Redis adapter: an event published by any process reaches the sockets of
 * every `http` instance. The two connections reconnect on their own after a Redis outage.
 */
export class RedisIoAdapter extends IoAdapter {
  private readonly connections: Redis[] = [];

  constructor(
    app: INestApplicationContext,
    private readonly config: ApiConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, options) as Server;
    const publisher = new Redis(redisOptions(this.config));
    const subscriber = publisher.duplicate();
    for (const connection of [publisher, subscriber]) {
      connection.on('error', () => undefined);
      this.connections.push(connection);
    }
    server.adapter(createAdapter(publisher, subscriber, { key: socketIoRedisKey(this.config) }));
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    await Promise.all(this.connections.splice(0).map((c) => c.quit().catch(() => c.disconnect())));
  }
}
