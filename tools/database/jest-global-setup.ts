/**
 * Jest globalSetup: one database server and one Redis per test run; each suite then uses its own
 * database (libs/testing/src/lib/database/test-database.ts) and its own Redis key prefix.
 */
import { launchRedis, type LaunchedRedis } from '../redis/redis-launcher';
import { launchDatabase, type LaunchedDatabase } from './database-launcher';

type Holder = { __wabaDatabase?: LaunchedDatabase; __wabaRedis?: LaunchedRedis };

export default async function globalSetup(): Promise<void> {
  const holder = globalThis as Holder;
  if (holder.__wabaDatabase) return;
  const log = (line: string) => console.log(`\n[tests] ${line}`);
  // Tests never use the product's REDIS_URL or the machine's Redis unless WABA_TEST_REDIS_URL says so.
  const [database, redis] = await Promise.all([launchDatabase({ log }), launchRedis({ env: { REDIS_URL: process.env['WABA_TEST_REDIS_URL'] }, log })]);
  holder.__wabaDatabase = database;
  holder.__wabaRedis = redis;
  process.env['WABA_TEST_DATABASE_SERVER'] = database.uri;
  process.env['WABA_TEST_REDIS_SERVER'] = redis.url;
  log(`database: ${database.description}`);
  log(`redis: ${redis.description}`);
}
