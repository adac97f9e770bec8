import type { ApiConfig } from '../config/api-config';

/** Events go to tenant rooms only, so they can never cross tenants. */
export function tenantRoom(accountId: string): string {
  return `account:${accountId}`;
}

/** Every socket also joins its session's and its user's room: how a logout or a removal reaches it on any instance. */
export function sessionRoom(sessionId: string): string {
  return `session:${sessionId}`;
}

export function userRoom(userId: string): string {
  return `user:${userId}`;
}

/** The Redis channel prefix shared by the Socket.IO adapter (http) and the emitter (everyone). */
export function socketIoRedisKey(config: ApiConfig): string {
  return `${config.REDIS_KEY_PREFIX}:socket.io`;
}
