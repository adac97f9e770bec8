/**
 * `npm run bench:store-ops`: what the webhook inbox's operations cost the database server, in CPU
 * ms (from /proc, so a busy machine moves it little), at two inbox sizes; an insert of 50 entries
 * is the baseline. FerretDB on SQLite by default, on PostgreSQL with FERRETDB_POSTGRESQL_URL.
 * Measured 2026-12-02 at 2 000 entries, per entry: on PostgreSQL a `deleteOne` by `_id` costs
 * 0.64 ms and a `deleteMany` with `$in` 3.1 ms (it reads every document; with 10 KB bodies and a
 * backlog, seconds per batch); on SQLite both grow with the inbox (12 and 3.3 ms).
 */
import { mongo } from 'mongoose';
import { launchDatabase, withDatabaseName } from '../database/database-launcher';
import { cpuSeconds } from './process-cpu';

const BATCH = 50;
const BODY = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: { text: 'x'.repeat(400) } }] }] });

function cpuMs(pid: number | undefined): number {
  return pid ? cpuSeconds(pid) * 1000 : NaN;
}

async function main(): Promise<void> {
  const database = await launchDatabase({ log: () => undefined });
  console.log(`database: ${database.description}`);
  const client = await mongo.MongoClient.connect(withDatabaseName(database.uri, `bench_store_ops_${Date.now()}`));
  const rows: Array<Record<string, string | number>> = [];
  try {
    for (const size of [200, 2000]) {
      const inbox = client.db().collection<{ _id: string; rawBody: string; receivedAt: Date }>(`inbox_${size}`);
      let next = 0;
      const entries = (n: number) => Array.from({ length: n }, () => ({ _id: `delivery-${next++}`, rawBody: BODY, receivedAt: new Date() }));
      await inbox.insertMany(entries(size));
      const measure = async (operation: string, rounds: number, run: () => Promise<unknown>) => {
        const before = cpuMs(database.pid);
        for (let i = 0; i < rounds; i++) await run();
        rows.push({ 'inbox size': size, operation, 'database CPU ms per entry': Number(((cpuMs(database.pid) - before) / (rounds * BATCH)).toFixed(3)) });
      };
      // Each round adds 50 entries and takes 50 away, so the inbox keeps its size.
      await measure('insertMany of 50 (baseline)', 20, () => inbox.insertMany(entries(BATCH)));
      let oldest = 0;
      const takeBatch = () => Array.from({ length: BATCH }, () => `delivery-${oldest++}`);
      await measure('findOne by _id, 50 times', 10, () => Promise.all(takeBatch().map((_id) => inbox.findOne({ _id }))));
      oldest -= 10 * BATCH;
      await measure('bulkWrite of 50 deleteOne by _id', 10, async () => {
        await inbox.bulkWrite(
          takeBatch().map((_id) => ({ deleteOne: { filter: { _id } } })),
          { ordered: false },
        );
        await inbox.insertMany(entries(BATCH));
      });
      await measure('one deleteMany, _id $in 50 ids', 10, async () => {
        await inbox.deleteMany({ _id: { $in: takeBatch() } });
        await inbox.insertMany(entries(BATCH));
      });
      // Updates read the whole collection too: what a token check's writes cost per credential.
      await measure('updateOne by _id, 50 times', 4, () => Promise.all(takeBatch().map((_id) => inbox.updateOne({ _id }, { $set: { receivedAt: new Date() } }))));
    }
    console.table(rows);
    console.log('(the delete rows include re-inserting 50 entries: compare them with the baseline row)');
  } finally {
    await client.close();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
