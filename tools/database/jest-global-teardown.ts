import type { LaunchedRedis } from '../redis/redis-launcher';
import type { LaunchedDatabase } from './database-launcher';

export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { __wabaDatabase?: LaunchedDatabase; __wabaRedis?: LaunchedRedis };
  await Promise.all([holder.__wabaDatabase?.stop(), holder.__wabaRedis?.stop()]);
  holder.__wabaDatabase = undefined;
  holder.__wabaRedis = undefined;
}
