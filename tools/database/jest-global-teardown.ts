import type { LaunchedDatabase } from './database-launcher';

export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { __wabaDatabase?: LaunchedDatabase };
  await holder.__wabaDatabase?.stop();
  holder.__wabaDatabase = undefined;
}
