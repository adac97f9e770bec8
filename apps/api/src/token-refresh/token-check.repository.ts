import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { ConnectionSource, ConnectionStatus } from '@waba/contracts';
import { Model, Types, type FilterQuery } from 'mongoose';
import { MetaConnection } from '../credentials/meta-connection.schema';

/** Statuses the check works on; needs_reauth and revoked wait for the tenant to reconnect. */
const CHECKED_STATUSES: ConnectionStatus[] = ['active', 'expiring'];

/** A credential as the check sees it, with the claim it holds. */
export interface ClaimedConnection {
  id: string;
  accountId: string;
  encryptedToken: string;
  source: ConnectionSource;
  tokenType: string | null;
  grantedWabaIds: string[];
  expiresAt: Date | null;
  status: ConnectionStatus;
  lastCheckedAt: Date | null;
  lastError: string | null;
  checkFailures: number;
  claimedBy: string | null;
}

export interface SweepScope {
  /** Only this tenant's credentials. */
  accountId?: string;
}

/** What a finished check writes; the claim is released in the same update. */
export type CheckResult = Partial<
  Pick<
    MetaConnection,
    'status' | 'lastError' | 'tokenType' | 'scopes' | 'grantedWabaIds' | 'expiresAt' | 'dataAccessExpiresAt' | 'lastCheckedAt' | 'lastCheckFailure' | 'encryptedToken' | 'tokenFingerprint' | 'checkFailures'
  >
> & { nextCheckAt: Date | null };

type ConnectionDoc = MetaConnection & { _id: Types.ObjectId };

/**
 * The token check's queries on `meta_connections`. Claims are single-document atomic updates
 * (no transactions on FerretDB): a credential is due when `nextCheckAt` has passed and nobody
 * holds an unexpired claim; every write after a check is fenced by the claim id, so an instance
 * whose claim expired (crash, long pause) cannot overwrite the instance that took over.
 */
@Injectable()
export class TokenCheckRepository {
  constructor(@InjectModel(MetaConnection.name) private readonly connections: Model<MetaConnection>) {}

  /** Takes the earliest due credential for `claimId` until `claimUntil`; null when none is due. */
  async claimNext(scope: SweepScope, claimId: string, now: Date, claimUntil: Date): Promise<ClaimedConnection | null> {
    const claimed = await this.connections
      .findOneAndUpdate(
        { ...this.dueFilter(scope, now), $or: [{ claimUntil: null }, { claimUntil: { $lte: now } }] },
        { $set: { claimedBy: claimId, claimUntil } },
        { sort: { nextCheckAt: 1 }, new: true },
      )
      .lean<ConnectionDoc>();
    return claimed ? toClaimed(claimed) : null;
  }

  /** Writes the check's result and releases the claim, only if `claimId` still holds it. */
  async complete(id: string, claimId: string, result: CheckResult): Promise<ClaimedConnection | null> {
    const updated = await this.connections
      .findOneAndUpdate({ _id: new Types.ObjectId(id), claimedBy: claimId }, { $set: { ...result, claimedBy: null, claimUntil: null } }, { new: true })
      .lean<ConnectionDoc>();
    return updated ? toClaimed(updated) : null;
  }

  /** A failed check: one more failure in a row, retried at `nextCheckAt`; status and token untouched. */
  async recordFailure(id: string, claimId: string, failure: string, nextCheckAt: Date): Promise<boolean> {
    const result = await this.connections.updateOne(
      { _id: new Types.ObjectId(id), claimedBy: claimId },
      { $set: { lastCheckFailure: failure, nextCheckAt, claimedBy: null, claimUntil: null }, $inc: { checkFailures: 1 } },
    );
    return result.modifiedCount === 1;
  }

  /** Gives a claim back unchecked (rate-limit back-off), to be picked up at `nextCheckAt`. */
  async release(id: string, claimId: string, nextCheckAt: Date): Promise<boolean> {
    const result = await this.connections.updateOne({ _id: new Types.ObjectId(id), claimedBy: claimId }, { $set: { nextCheckAt, claimedBy: null, claimUntil: null } });
    return result.modifiedCount === 1;
  }

  /** Credentials saved before the check existed have no `nextCheckAt`: due now. */
  async scheduleUnscheduled(now: Date): Promise<number> {
    const result = await this.connections.updateMany({ status: { $in: CHECKED_STATUSES }, nextCheckAt: null }, { $set: { nextCheckAt: now } });
    return result.modifiedCount;
  }

  /** `--all`: every checked credential in scope is due now. */
  async makeDue(scope: SweepScope, now: Date): Promise<number> {
    const result = await this.connections.updateMany({ ...this.scopeFilter(scope), status: { $in: CHECKED_STATUSES }, nextCheckAt: { $gt: now } }, { $set: { nextCheckAt: now } });
    return result.modifiedCount;
  }

  countDue(scope: SweepScope, now: Date, all = false): Promise<number> {
    return this.connections.countDocuments(all ? { ...this.scopeFilter(scope), status: { $in: CHECKED_STATUSES } } : this.dueFilter(scope, now));
  }

  /** Dry run: what a sweep would check, read without claiming. */
  async *listDue(scope: SweepScope, now: Date, all = false): AsyncGenerator<ClaimedConnection> {
    const filter = all ? { ...this.scopeFilter(scope), status: { $in: CHECKED_STATUSES } } : this.dueFilter(scope, now);
    for await (const doc of this.connections.find(filter).sort({ nextCheckAt: 1 }).lean<ConnectionDoc[]>().cursor()) {
      yield toClaimed(doc as ConnectionDoc);
    }
  }

  private dueFilter(scope: SweepScope, now: Date): FilterQuery<MetaConnection> {
    return { ...this.scopeFilter(scope), status: { $in: CHECKED_STATUSES }, nextCheckAt: { $lte: now } };
  }

  private scopeFilter(scope: SweepScope): FilterQuery<MetaConnection> {
    return scope.accountId ? { accountId: new Types.ObjectId(scope.accountId) } : {};
  }
}

function toClaimed(doc: ConnectionDoc): ClaimedConnection {
  return {
    id: String(doc._id),
    accountId: String(doc.accountId),
    encryptedToken: doc.encryptedToken,
    source: doc.source,
    tokenType: doc.tokenType,
    grantedWabaIds: doc.grantedWabaIds ?? [],
    expiresAt: doc.expiresAt ?? null,
    status: doc.status,
    lastCheckedAt: doc.lastCheckedAt ?? null,
    lastError: doc.lastError ?? null,
    checkFailures: doc.checkFailures ?? 0,
    claimedBy: doc.claimedBy ?? null,
  };
}
