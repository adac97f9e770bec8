/**
 * `npm run bench:store-ops`: what the webhook inbox's operations cost the database, in CPU ms per
 * entry (from /proc, so a busy machine moves it little): FerretDB's process and, on the PostgreSQL
 * backend, PostgreSQL's, at two inbox sizes, with a 50-status body (about 10 KB); an insert of 50
 * entries is the baseline. FerretDB on SQLite by default, on PostgreSQL with FERRETDB_POSTGRESQL_URL.
 * On PostgreSQL every filter is a scan: an `_id` equality is a sequential scan in PostgreSQL that
 * unpacks every stored body, `$in` a read of the whole inbox by FerretDB. So one `deleteMany` for
 * many ids costs least per entry (README, "Benchmarks", has the figures).
 */
import { mongo } from 'mongoose';
import { launchDatabase, withDatabaseName } from '../database/database-launcher';
import { cpuSeconds, postgresCpuSeconds } from './process-cpu';
import { payload } from './webhook-payloads';

const BATCH = 50;
const BODY = payload('statuses50', '1', '2');

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
      // CPU per entry, FerretDB's and (on the PostgreSQL backend) PostgreSQL's; a round handles `perRound` entries.
      const measure = async (operation: string, rounds: number, perRound: number, run: () => Promise<unknown>) => {
        const [ferretBefore, postgresBefore] = [cpuMs(database.pid), postgresCpuSeconds() * 1000];
        for (let i = 0; i < rounds; i++) await run();
        const [ferret, postgres] = [cpuMs(database.pid) - ferretBefore, postgresCpuSeconds() * 1000 - postgresBefore];
        const perEntry = (ms: number) => Number((ms / (rounds * perRound)).toFixed(3));
        rows.push({
          'inbox size': size,
          operation,
          'FerretDB CPU ms per entry': perEntry(ferret),
          'PostgreSQL CPU ms per entry': perEntry(postgres),
          'total ms per entry': perEntry(ferret + postgres),
        });
      };
      // Each round adds as many entries as it takes away, so the inbox keeps its size.
      await measure('insertMany of 50 (baseline)', 20, BATCH, () => inbox.insertMany(entries(BATCH)));
      let oldest = 0;
      const take = (n: number) => Array.from({ length: n }, () => `delivery-${oldest++}`);
      await measure('findOne by _id, 50 times', 10, BATCH, () => Promise.all(take(BATCH).map((_id) => inbox.findOne({ _id }))));
      oldest -= 10 * BATCH;
      await measure('bulkWrite of 50 deleteOne by _id', 10, BATCH, async () => {
        await inbox.bulkWrite(
          take(BATCH).map((_id) => ({ deleteOne: { filter: { _id } } })),
          { ordered: false },
        );
        await inbox.insertMany(entries(BATCH));
      });
      await measure('one deleteMany, _id $in 50 ids', 10, BATCH, async () => {
        await inbox.deleteMany({ _id: { $in: take(BATCH) } });
        await inbox.insertMany(entries(BATCH));
      });
      // What applying does (webhook-application.service.ts, INBOX_DELETE_BATCH) once a backlog builds up.
      const many = Math.min(1000, size);
      await measure(`one deleteMany, _id $in ${many} ids`, 3, many, async () => {
        await inbox.deleteMany({ _id: { $in: take(many) } });
        await inbox.insertMany(entries(many));
      });
      // Updates read the whole collection too: what a token check's writes cost per credential. Ten at
      // a time: with 50 at once on the PostgreSQL backend FerretDB 1.24 stopped answering (its pool has 50 connections).
      await measure('updateOne by _id, 50 times', 4, BATCH, async () => {
        const ids = take(BATCH);
        for (let i = 0; i < ids.length; i += 10) await Promise.all(ids.slice(i, i + 10).map((_id) => inbox.updateOne({ _id }, { $set: { receivedAt: new Date() } })));
      });
    }
    console.table(rows);
    console.log('(the delete rows include re-inserting as many entries: compare them with the baseline row)');
  } finally {
    await client.close();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
