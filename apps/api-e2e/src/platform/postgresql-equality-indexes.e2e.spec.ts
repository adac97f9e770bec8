import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import mongoose, { Schema, Types, type Connection } from 'mongoose';
import { Client } from 'pg';
import { startFerretDb, type LaunchedDatabase } from '@waba/tools/database/database-launcher';

// The benchmarks' backend. These machines start PostgreSQL on 5432 before every run; where none
// answers (or FERRETDB_POSTGRESQL_URL points elsewhere and is down) there is nothing to test.
const SERVER_URL = process.env['FERRETDB_POSTGRESQL_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const probe = spawnSync(
  process.execPath,
  ['-e', `new (require('pg').Client)({connectionString:${JSON.stringify(SERVER_URL)},connectionTimeoutMillis:2000}).connect().then(()=>process.exit(0),()=>process.exit(1))`],
  { timeout: 5_000 },
);
const postgresAnswers = probe.status === 0;
if (!postgresAnswers) console.warn(`postgresql-equality-indexes.e2e: skipped, no PostgreSQL at ${SERVER_URL.replace(/\/\/[^@]*@/, '//')}`);
const describeWithPostgres = postgresAnswers ? describe : describe.skip;

const MONGO_DB = 'equality_indexes';

describeWithPostgres('FerretDB on PostgreSQL: equality filters served by an index (tools/database/postgresql-equality-indexes.ts)', () => {
  jest.setTimeout(90_000);
  const admin = new Client({ connectionString: SERVER_URL });
  const created: string[] = [];

  beforeAll(() => admin.connect());
  afterAll(async () => {
    for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  /** What a test opened, closed after it whatever happened. */
  let opened: { db: LaunchedDatabase; connection: Connection; pg: Client } | null = null;
  afterEach(async () => {
    if (!opened) return;
    const { db, connection, pg } = opened;
    opened = null;
    await connection.close();
    await pg.end();
    await db.stop();
  });

  /** FerretDB on a PostgreSQL database of its own, and a mongoose connection to it. */
  async function ferretDbOnNewDatabase(equalityIndexes: '1' | '0'): Promise<{ db: LaunchedDatabase; connection: Connection; pg: Client }> {
    const name = `waba_eq_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${name}`);
    created.push(name);
    const url = new URL(SERVER_URL);
    url.pathname = `/${name}`;
    const db = await startFerretDb({ ...process.env, FERRETDB_POSTGRESQL_URL: url.toString(), FERRETDB_EQUALITY_INDEXES: equalityIndexes }, () => undefined);
    const connection = await mongoose.createConnection(`${db.uri}/${MONGO_DB}`).asPromise();
    const pg = new Client({ connectionString: url.toString() });
    await pg.connect();
    opened = { db, connection, pg };
    return opened;
  }

  const thingSchema = new Schema({ accountId: String, status: String, dueAt: Date, body: String });
  thingSchema.index({ accountId: 1 }, { unique: true });
  thingSchema.index({ status: 1, dueAt: 1 });

  async function indexesOf(pg: Client): Promise<string[]> {
    const { rows } = await pg.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename LIKE 'things%' ORDER BY indexname`, [MONGO_DB]);
    return rows.map((row) => row.indexdef);
  }

  /** Index and sequential scans of the collection's table so far. */
  async function scans(pg: Client): Promise<{ index: number; sequential: number }> {
    const { rows } = await pg.query<{ idx: string; seq: string }>(`SELECT idx_scan AS idx, seq_scan AS seq FROM pg_stat_user_tables WHERE schemaname = $1 AND relname LIKE 'things%'`, [MONGO_DB]);
    return { index: Number(rows[0].idx), sequential: Number(rows[0].seq) };
  }

  /**
   * Scans counted since `before`, once `enough` says they are all in: FerretDB's idle connections
   * publish their counts up to 10 s late (PostgreSQL's idle stats interval), so this waits up to 20 s.
   */
  async function scansSince(pg: Client, before: { index: number; sequential: number }, enough: (delta: { index: number; sequential: number }) => boolean) {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const now = await scans(pg);
      const delta = { index: now.index - before.index, sequential: now.sequential - before.sequential };
      if (enough(delta) || Date.now() > deadline) return delta;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  it('adds a GIN index for every field FerretDB indexes first, and lookups and updates by _id or an indexed field use it', async () => {
    const { db, connection, pg } = await ferretDbOnNewDatabase('1');
    expect(db.description).toContain('PostgreSQL backend, with equality indexes');
    const things = connection.model('Thing', thingSchema, 'things');
    await things.init();
    const docs = Array.from({ length: 2_000 }, (_, i) => ({ _id: new Types.ObjectId(), accountId: `a${i}`, status: i % 2 ? 'active' : 'expiring', dueAt: new Date(i), body: 'x'.repeat(500) }));
    await things.insertMany(docs);

    const definitions = await indexesOf(pg);
    const gin = definitions.filter((d) => d.includes('USING gin'));
    expect(gin.map((d) => d.match(/_jsonb -> '(\w+)'/)?.[1]).sort()).toEqual(['_id', 'accountId', 'status']);
    expect(gin.every((d) => d.includes('jsonb_path_ops'))).toBe(true);
    // FerretDB's own indexes are untouched, and it still lists only those.
    expect(definitions.filter((d) => d.includes('USING btree'))).toHaveLength(3);
    expect((await things.collection.indexes()).map((i) => i.name).sort()).toEqual(['_id_', 'accountId_1', 'status_1_dueAt_1']);

    const before = await scans(pg);
    for (const doc of docs.slice(0, 20)) {
      await things.updateOne({ _id: doc._id }, { $set: { body: 'checked' } });
      expect((await things.findOne({ accountId: doc.accountId }).lean())?.body).toBe('checked');
    }
    const delta = await scansSince(pg, before, (d) => d.index >= 40);
    expect(delta.index).toBeGreaterThanOrEqual(40);
    // Without the index each of the 40 would be a sequential scan (next test); the few counted are
    // earlier statements of the set-up whose counts came in late.
    expect(delta.sequential).toBeLessThan(20);

    // The unique index is still FerretDB's btree: a duplicate is refused as before.
    await expect(things.create({ accountId: 'a1' })).rejects.toThrow(/E11000/);
  });

  it('FERRETDB_EQUALITY_INDEXES=0 leaves FerretDB as it is: the same lookups scan the table', async () => {
    const { db, connection, pg } = await ferretDbOnNewDatabase('0');
    expect(db.description).toContain('equality indexes turned off');
    const things = connection.model('Thing', thingSchema, 'things');
    await things.init();
    const docs = Array.from({ length: 200 }, (_, i) => ({ _id: new Types.ObjectId(), accountId: `a${i}`, status: 'active', dueAt: new Date(i) }));
    await things.insertMany(docs);
    expect((await indexesOf(pg)).filter((d) => d.includes('USING gin'))).toEqual([]);
    const before = await scans(pg);
    for (const doc of docs.slice(0, 10)) await things.updateOne({ _id: doc._id }, { $set: { body: 'checked' } });
    expect((await scansSince(pg, before, (d) => d.sequential >= 10)).sequential).toBeGreaterThanOrEqual(10);
  });
});
