/**
 * FerretDB v1 on PostgreSQL stores a collection as a table of `_jsonb` documents, and an index on
 * `field` as a btree on the expression `_jsonb -> 'field'`. But it sends an equality filter to
 * PostgreSQL as `_jsonb -> 'field' @> value`, which a btree cannot serve: every `findOne({ _id })`,
 * every `updateOne({ _id })` reads the whole table (≈7 ms of PostgreSQL CPU at 10 000 credentials,
 * `npm run bench:store-ops` for the webhook inbox). MongoDB answers these from the index.
 *
 * So that the benchmarks on this backend measure our code and not that gap, the launcher installs
 * an event trigger in FerretDB's PostgreSQL database: for every btree FerretDB creates on a
 * top-level field, a GIN index (`jsonb_path_ops`, which serves `@>`) on the same expression, for
 * the index's first field only, as a MongoDB index serves queries on its prefix. Indexes made
 * before the trigger are covered once at install. Event triggers need a superuser; without one
 * the launcher's line says so and it goes on without them.
 */
import { Client } from 'pg';

const DROP_TRIGGER_SQL = 'DROP EVENT TRIGGER IF EXISTS waba_equality_indexes;';

const INSTALL_SQL = String.raw`
CREATE OR REPLACE FUNCTION waba_equality_index_for(btree_index oid) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  idx record;
  expr text;
BEGIN
  SELECT i.indrelid AS tbl, c.relname AS name INTO idx
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
   WHERE i.indexrelid = btree_index AND am.amname = 'btree';
  IF NOT FOUND THEN RETURN; END IF;
  expr := pg_get_indexdef(btree_index, 1, true);
  -- A top-level field as FerretDB indexes it; dotted paths (#>) are not pushed down as @>.
  IF expr !~ '^\(_jsonb -> ''[^'']*''::text\)$' THEN RETURN; END IF;
  IF EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
              WHERE i.indrelid = idx.tbl AND am.amname = 'gin' AND pg_get_indexdef(i.indexrelid, 1, true) = expr) THEN RETURN; END IF;
  -- fastupdate off: each write updates the index itself, no pending list flushed on some unlucky write.
  EXECUTE format('CREATE INDEX %I ON %s USING gin (%s jsonb_path_ops) WITH (fastupdate = off)',
                 left(idx.name, 50) || '_' || substr(md5(idx.name), 1, 8) || '_eq', idx.tbl::regclass, expr);
END $fn$;

CREATE OR REPLACE FUNCTION waba_equality_index_trigger() RETURNS event_trigger LANGUAGE plpgsql AS $fn$
DECLARE cmd record;
BEGIN
  FOR cmd IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE object_type = 'index' LOOP
    PERFORM waba_equality_index_for(cmd.objid);
  END LOOP;
END $fn$;

${DROP_TRIGGER_SQL}
CREATE EVENT TRIGGER waba_equality_indexes ON ddl_command_end WHEN TAG IN ('CREATE INDEX') EXECUTE FUNCTION waba_equality_index_trigger();

SELECT waba_equality_index_for(i.indexrelid) FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attname = '_jsonb';
`;

/**
 * Installs the trigger (idempotent), or with `enabled` false drops it (FERRETDB_EQUALITY_INDEXES=0,
 * to measure without; indexes made before stay). Returns null when done, else why it could not.
 */
export async function setEqualityIndexes(postgresUrl: string, enabled: boolean): Promise<string | null> {
  const client = new Client({ connectionString: postgresUrl, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    // One transaction: two launchers installing at once see the trigger whole or not at all.
    await client.query(`BEGIN; SELECT pg_advisory_xact_lock(hashtext('waba_equality_indexes')); ${enabled ? INSTALL_SQL : DROP_TRIGGER_SQL} COMMIT;`);
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}
