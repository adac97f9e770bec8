/** Jest globalSetup: one database server per test run; each suite then uses its own database. */
import { launchDatabase, type LaunchedDatabase } from './database-launcher';

export default async function globalSetup(): Promise<void> {
  const existing = (globalThis as { __wabaDatabase?: LaunchedDatabase }).__wabaDatabase;
  if (existing) return;
  const database = await launchDatabase({ log: (line) => console.log(`\n[tests] ${line}`) });
  (globalThis as { __wabaDatabase?: LaunchedDatabase }).__wabaDatabase = database;
  process.env['WABA_TEST_DATABASE_SERVER'] = database.uri;
  console.log(`\n[tests] database: ${database.description}`);
}
