import { Injectable } from '@nestjs/common';
import { RedisClient } from '../redis/redis.module';
import type { CheckedConnection } from '../credentials/credential-checks.service';

/**
 * Meta answers a rate limit with how long a WABA must wait (libs/meta-graph/src/lib/graph-errors.ts):
 * once one check is told so, every worker leaves the credentials serving that WABA alone until
 * then. One Redis key per WABA, holding the end of the back-off and expiring with it (real time,
 * like BullMQ's delays).
 */
@Injectable()
export class WabaBackoff {
  constructor(private readonly redis: RedisClient) {}

  /** Until when (epoch ms) any WABA this credential serves is backed off; 0 when it may be called. */
  async until(connection: Pick<CheckedConnection, 'id' | 'grantedWabaIds'>): Promise<number> {
    const values = await this.redis.connection.mget(...this.keysOf(connection));
    const until = Math.max(0, ...values.map((value) => Number(value ?? 0)));
    return until > Date.now() ? until : 0;
  }

  /** Backs off every WABA this credential serves for `ms` (Meta's latest answer wins); returns the end. */
  async backOff(connection: Pick<CheckedConnection, 'id' | 'grantedWabaIds'>, ms: number): Promise<number> {
    const wait = Math.max(1, Math.round(ms));
    const until = Date.now() + wait;
    const pipeline = this.redis.connection.pipeline();
    for (const key of this.keysOf(connection)) pipeline.set(key, String(until), 'PX', wait);
    await pipeline.exec();
    return until;
  }

  /** A credential that serves no WABA yet is backed off on its own. */
  private keysOf(connection: Pick<CheckedConnection, 'id' | 'grantedWabaIds'>): string[] {
    const scopes = connection.grantedWabaIds.length ? connection.grantedWabaIds.map((id) => `waba:${id}`) : [`connection:${connection.id}`];
    return scopes.map((scope) => this.redis.key('token-check-backoff', scope));
  }
}
