import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { HealthView } from '@waba/contracts';
import type { Connection } from 'mongoose';
import { ApiConfig } from '../config/api-config';

@Injectable()
export class HealthService {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly config: ApiConfig,
  ) {}

  async check(): Promise<HealthView> {
    const started = Date.now();
    const up = await this.pingDatabase();
    return {
      status: up ? 'ok' : 'degraded',
      database: up ? { status: 'up', latencyMs: Date.now() - started } : { status: 'down' },
      uptimeSeconds: Math.round(process.uptime()),
    };
  }

  private async pingDatabase(): Promise<boolean> {
    const db = this.connection.db;
    if (!db) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), this.config.DATABASE_TIMEOUT_MS)));
    const ping = db.command({ ping: 1 }).then(() => true as const, () => false as const);
    const result = await Promise.race([ping, timeout]);
    clearTimeout(timer);
    return result;
  }
}
