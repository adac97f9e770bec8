import type { INestApplication } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { createApiApp } from '@waba/api/app/create-api-app';
import { loadApiConfig } from '@waba/api/config/api-config';
import { runSecretScan } from './run-secret-scan';
import { isolatedRedisPrefix, isolatedTestDatabaseUri, testRedisUrl } from '@waba/testing';

/** Every log line the app wrote, so tests can prove secrets never reach the logs. */
export class CapturedLogs extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface TestApp {
  app: INestApplication;
  server: Server;
  logs: CapturedLogs;
  databaseUri: string;
  /** Empties every collection (indexes stay), for suites whose tests must not see each other. */
  clearData(): Promise<void>;
  close(): Promise<void>;
}

/** The real API (every module, guard and filter) on a fresh database, served in-process. */
export async function startTestApp(settings: Record<string, string> = {}): Promise<TestApp> {
  const logs = new CapturedLogs();
  const databaseUri = settings['MONGODB_URI'] ?? isolatedTestDatabaseUri('e2e');
  const config = loadApiConfig({
    SPA_DIR: 'does-not-exist',
    LOG_LEVEL: 'info',
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    META_CALLS_PER_TENANT_PER_MINUTE: '10000',
    LOGIN_ATTEMPTS_PER_ACCOUNT_PER_15_MINUTES: '10000',
    META_CALLS_PER_ADDRESS_PER_MINUTE: '10000',
    TOKEN_ENCRYPTION_KEYS: `test:${Buffer.alloc(32, 9).toString('base64')}`,
    // A background token sweep would consume faults other tests aim at the sandbox; suites that test it turn it on.
    TOKEN_CHECK_ENABLED: 'false',
    REDIS_URL: testRedisUrl(),
    // Queues, rate limits and realtime channels of this app only (the run shares one Redis).
    REDIS_KEY_PREFIX: isolatedRedisPrefix('e2e'),
    ...settings,
    MONGODB_URI: databaseUri,
  });
  const app = await createApiApp(config, { logDestination: logs });
  await app.init();
  runSecretScan.watchApp(app.getHttpServer() as Server, logs, config);
  const connection = app.get<Connection>(getConnectionToken());
  const clearData = async () => {
    await Promise.all(Object.values(connection.collections).map((collection) => collection.deleteMany({})));
  };
  return { app, server: app.getHttpServer() as Server, logs, databaseUri, clearData, close: () => app.close() };
}
