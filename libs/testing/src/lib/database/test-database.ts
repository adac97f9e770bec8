import { randomBytes } from 'node:crypto';
import { withDatabaseName } from '@waba/tools/database/database-launcher';

/** A fresh database on the run's server, so suites never see each other's data. */
export function isolatedTestDatabaseUri(prefix = 'test'): string {
  const server = process.env['WABA_TEST_DATABASE_SERVER'];
  if (!server) throw new Error('WABA_TEST_DATABASE_SERVER is not set: run tests through a jest config that uses tools/database/jest-global-setup.ts');
  return withDatabaseName(server, `${prefix}_${randomBytes(6).toString('hex')}`);
}

/** The run's Redis; suites keep apart by a key prefix of their own (see isolatedRedisPrefix). */
export function testRedisUrl(): string {
  const url = process.env['WABA_TEST_REDIS_SERVER'];
  if (!url) throw new Error('WABA_TEST_REDIS_SERVER is not set: run tests through a jest config that uses tools/database/jest-global-setup.ts');
  return url;
}

export function isolatedRedisPrefix(prefix = 'test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}
