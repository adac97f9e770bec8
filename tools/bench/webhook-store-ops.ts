/**
 * `npm run bench:store-ops`: what the webhook inbox's operations cost the database, in CPU ms per
 * entry (from /proc, so a busy machine moves it little): FerretDB's process and, on the PostgreSQL
 * backend, PostgreSQL's, at two inbox sizes, with a 50-status body (about 10 KB); an insert of 50
 * entries is the baseline. FerretDB on SQLite by default, on PostgreSQL with FERRETDB_POSTGRESQL_URL.
 * On PostgreSQL every filter is a scan: an `_id` equality is a sequential scan in PostgreSQL that
 * unpacks every stored body, `$in` a read of the whole inbox by FerretDB. So one `deleteMany` for
 * many ids costs least per entry. Bodies are stored deflated, as the API stores them
 * (apps/api/src/webhooks/stored-body.ts), with a row for storing them as text; and a status
 * event's 50 statuses as two lists of strings (webhook-records.schema.ts) against subdocuments.
 * README, "Operator commands and benchmarks", has the figures.
 */
import { randomUUID } from 'node:crypto';
import { mongo } from 'mongoose';
import { launchDatabase, withDatabaseName } from '../database/database-launcher';
import { cpuSeconds, postgresCpuSeconds } from './process-cpu';
import { packBody } from '../../apps/api/src/webhooks/stored-body';
import { payload } from './webhook-payloads';

const BATCH = 50;

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
      const inbox = client.db().collection<{ _id: string; body?: mongo.Binary; rawBody?: string; receivedAt: Date }>(`inbox_${size}`);
      let next = 0;
      const entries = (n: number) => Array.from({ length: n }, () => ({ _id: `delivery-${next++}`, body: packBody(payload('statuses50', '1', '2')), receivedAt: new Date() }));
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
      await measure('insertMany of 50, bodies as text', 20, BATCH, () =>
        inbox.insertMany(entries(BATCH).map(({ _id, receivedAt }) => ({ _id, receivedAt, rawBody: payload('statuses50', '1', '2') }))),
      );
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
    // What applying a 50-status delivery writes besides the archive: one event naming the 50 messages.
    const events = client.db().collection('tenant_events');
    await events.createIndex({ accountId: 1, key: 1 }, { unique: true });
    const statuses = () => Array.from({ length: 50 }, (_, i) => ({ messageId: `wamid.${randomUUID()}`, status: i % 3 ? 'delivered' : 'read' }));
    const event = () => ({ accountId: new mongo.ObjectId(), key: randomUUID(), type: 'message.status', title: '50 delivery updates', occurredAt: new Date(), receivedAt: new Date() });
    const asLists = (list: Array<{ messageId: string; status: string }>) => ({ messageIds: list.map((s) => s.messageId), messageStatuses: list.map((s) => s.status) });
    const layouts: Array<[string, () => object]> = [
      ['status event, 50 statuses as subdocuments', () => ({ ...event(), statuses: statuses() })],
      ['status event, 50 statuses as two lists (stored so)', () => ({ ...event(), ...asLists(statuses()) })],
    ];
    for (const [operation, make] of layouts) {
      const [ferretBefore, postgresBefore] = [cpuMs(database.pid), postgresCpuSeconds() * 1000];
      for (let i = 0; i < 10; i++) await events.insertMany(Array.from({ length: BATCH }, make));
      const [ferret, postgres] = [cpuMs(database.pid) - ferretBefore, postgresCpuSeconds() * 1000 - postgresBefore];
      const perEvent = (ms: number) => Number((ms / (10 * BATCH)).toFixed(3));
      rows.push({
        'inbox size': '',
        operation: `insertMany of 50: ${operation}`,
        'FerretDB CPU ms per entry': perEvent(ferret),
        'PostgreSQL CPU ms per entry': perEvent(postgres),
        'total ms per entry': perEvent(ferret + postgres),
      });
    }
    console.table(rows);
    console.log('(the delete rows include re-inserting as many entries: compare them with the baseline row)');
  } finally {
    await client.db().dropDatabase();
    await client.close();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
