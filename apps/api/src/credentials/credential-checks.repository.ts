import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { ConnectionStatus } from '@waba/contracts';
import { Model, Types, type FilterQuery } from 'mongoose';
import { withWriteRetries } from '../common/errors/transient-writes';
import { toConnectionRecord, type ConnectionRecord } from './credentials.repository';
import { MetaConnection } from './meta-connection.schema';

/** Statuses the check works on; needs_reauth and revoked wait for the tenant to reconnect. */
const CHECKED_STATUSES: ConnectionStatus[] = ['active', 'expiring'];
/** Due credentials are read in pages of this many (one cursor, one scan). */
const DUE_PAGE_SIZE = 1000;

/** What of a credential the check reads (and its job carries, token-refresh/token-check-jobs.ts). */
const CHECKED_FIELDS = [
  'id',
  'accountId',
  'encryptedToken',
  'tokenFingerprint',
  'source',
  'tokenType',
  'grantedWabaIds',
  'expiresAt',
  'nextCheckAt',
  'status',
  'lastCheckedAt',
  'lastError',
  'checkFailures',
] as const satisfies ReadonlyArray<keyof ConnectionRecord>;

/** A credential as the check sees it. */
export type CheckedConnection = Pick<ConnectionRecord, (typeof CHECKED_FIELDS)[number]>;

export interface SweepScope {
  /** Only this tenant's credentials. */
  accountId?: string;
}

/** What a finished check writes; moving `nextCheckAt` on makes it no longer due. */
export type CheckResult = Partial<
  Pick<
    MetaConnection,
    | 'status'
    | 'lastError'
    | 'tokenType'
    | 'scopes'
    | 'grantedWabaIds'
    | 'expiresAt'
    | 'dataAccessExpiresAt'
    | 'lastCheckedAt'
    | 'lastCheckFailure'
    | 'encryptedToken'
    | 'tokenFingerprint'
    | 'checkFailures'
  >
> & { nextCheckAt: Date | null };

type ConnectionDoc = MetaConnection & { _id: Types.ObjectId };

/**
 * The token check's queries on `meta_connections`. One check job at a time holds a credential
 * (token-refresh/token-check-jobs.ts), so results are written by `_id` without a fence.
 *
 * Filters stay simple on purpose: FerretDB v1 reads every document itself for `$in`, `$or` and
 * any filter but an equality (measured: 60-80 ms per write at 1 000 credentials, and 1.1 s of
 * FerretDB CPU for an `updateMany` by 20 ids at 10 000). An `_id` equality is pushed down: an
 * index look-up on SQLite, and on PostgreSQL once the launcher's equality indexes are there
 * (tools/database/postgresql-equality-indexes.ts; without them a sequential scan, about 7 ms of
 * PostgreSQL CPU per write at 10 000). So the due list is read once per sweep, and every write
 * goes by `_id`.
 */
@Injectable()
export class CredentialChecksRepository {
  constructor(@InjectModel(MetaConnection.name) private readonly connections: Model<MetaConnection>) {}

  /**
   * Due credentials in pages of at most DUE_PAGE_SIZE, from one cursor. Those in a state the
   * check leaves alone are unscheduled on the way (by `_id`) instead of being listed.
   */
  async *dueCredentials(scope: SweepScope, now: Date): AsyncGenerator<CheckedConnection[]> {
    const cursor = this.connections.find(this.dueFilter(scope, now)).lean<ConnectionDoc[]>().cursor({ batchSize: DUE_PAGE_SIZE });
    let page: CheckedConnection[] = [];
    for await (const raw of cursor) {
      const doc = raw as ConnectionDoc;
      if (!CHECKED_STATUSES.includes(doc.status)) await this.connections.updateOne({ _id: doc._id }, { $set: { nextCheckAt: null } });
      else page.push(toChecked(doc));
      if (page.length === DUE_PAGE_SIZE) {
        yield page;
        page = [];
      }
    }
    if (page.length) yield page;
  }

  /** The credential a check job is for, when it still is in a state the check works on. */
  async findCheckable(id: string): Promise<CheckedConnection | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    // The driver directly, without mongoose's query building and casting.
    const doc = (await this.connections.collection.findOne({ _id: new Types.ObjectId(id) })) as ConnectionDoc | null;
    return doc && CHECKED_STATUSES.includes(doc.status) ? toChecked(doc) : null;
  }

  async recordCheck(id: string, result: CheckResult): Promise<void> {
    await this.writeById(id, { $set: result });
  }

  /** A check that failed for good: one more failure in a row, retried at `nextCheckAt`; status and token untouched. */
  async recordFailure(id: string, failure: string, nextCheckAt: Date): Promise<void> {
    await this.writeById(id, { $set: { lastCheckFailure: failure, nextCheckAt }, $inc: { checkFailures: 1 } });
  }

  /**
   * The driver directly, as `findCheckable` reads: a sweep writes once per credential, and
   * mongoose's query building and casting was a tenth of a sweeping process's CPU
   * (tools/bench/token-sweep.ts). The values are already the stored types; `updatedAt` is what
   * the schema's timestamps would set; fields left undefined are left out, as mongoose did.
   */
  private async writeById(id: string, update: { $set: Record<string, unknown>; $inc?: Record<string, number> }): Promise<void> {
    // Meta was asked already: a write the database refuses for now is tried again, not the whole check.
    await withWriteRetries(() => this.connections.collection.updateOne({ _id: new Types.ObjectId(id) }, { ...update, $set: { ...update.$set, updatedAt: new Date() } }, { ignoreUndefined: true }));
  }

  /** Credentials saved before the check existed have no `nextCheckAt` field at all: due now. */
  async scheduleUnscheduled(now: Date): Promise<number> {
    const result = await this.connections.updateMany({ nextCheckAt: { $exists: false } }, { $set: { nextCheckAt: now } });
    return result.modifiedCount;
  }

  /** `--all`: every scheduled credential in scope is due now (needs_reauth ones have none). */
  async makeDue(scope: SweepScope, now: Date): Promise<number> {
    const result = await this.connections.updateMany({ ...this.scopeFilter(scope), nextCheckAt: { $gt: now } }, { $set: { nextCheckAt: now } });
    return result.modifiedCount;
  }

  /** About how many are due: the total a dry run's progress bar shows. */
  countDue(scope: SweepScope, now: Date, all = false): Promise<number> {
    return this.connections.countDocuments(all ? { ...this.scopeFilter(scope), nextCheckAt: { $ne: null } } : this.dueFilter(scope, now));
  }

  /** Dry run: what a sweep would check, read without writing anything. */
  async *listDue(scope: SweepScope, now: Date, all = false): AsyncGenerator<CheckedConnection> {
    const filter = all ? { ...this.scopeFilter(scope), nextCheckAt: { $ne: null } } : this.dueFilter(scope, now);
    for await (const doc of this.connections.find(filter).sort({ nextCheckAt: 1 }).lean<ConnectionDoc[]>().cursor()) {
      if (CHECKED_STATUSES.includes((doc as ConnectionDoc).status)) yield toChecked(doc as ConnectionDoc);
    }
  }

  private dueFilter(scope: SweepScope, now: Date): FilterQuery<MetaConnection> {
    return { ...this.scopeFilter(scope), nextCheckAt: { $lte: now } };
  }

  private scopeFilter(scope: SweepScope): FilterQuery<MetaConnection> {
    return scope.accountId ? { accountId: new Types.ObjectId(scope.accountId) } : {};
  }
}

function toChecked(doc: ConnectionDoc): CheckedConnection {
  const record = toConnectionRecord(doc);
  return Object.fromEntries(CHECKED_FIELDS.map((field) => [field, record[field]])) as CheckedConnection;
}
