import type { ApiConfig } from '../config/api-config';

/** Each socket joins exactly one tenant room, so events can never cross tenants. */
export function tenantRoom(accountId: string): string {
  return `account:${accountId}`;
}

/** The Redis channel prefix shared by the Socket.IO adapter (http) and the emitter (everyone). */
export function socketIoRedisKey(config: ApiConfig): string {
  return `${config.REDIS_KEY_PREFIX}:socket.io`;
}
