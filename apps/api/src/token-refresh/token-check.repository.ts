import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { ConnectionSource, ConnectionStatus } from '@waba/contracts';
import { Model, Types, type FilterQuery } from 'mongoose';
import { MetaConnection } from '../credentials/meta-connection.schema';
import { TokenCheckClaim } from './token-check-claim.schema';

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
  nextCheckAt: Date | null;
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
 * The token check's queries on `meta_connections` and `token_check_claims`. No transactions
 * (FerretDB): a claim is one insert with a unique `_id` (see TokenCheckClaim), then the
 * credential is stamped with it; every write after a check is fenced by that claim id, so an
 * instance whose claim expired (crash, long pause) does not overwrite the one that took over.
 * Writes are ordered so that a crash between two of them leaves the credential due or done,
 * never stuck: result first, then the claim marked done.
 *
 * Filters stay simple on purpose: FerretDB v1 evaluates `$in` / `$or` and any write filter other
 * than `_id` by scanning the collection (measured: 60-80 ms per write at 1 000 credentials, 5-10
 * ms by `_id`). So writes go by `_id` after a read, and status / claim are checked in code.
 */
@Injectable()
export class TokenCheckRepository {
  constructor(
    @InjectModel(MetaConnection.name) private readonly connections: Model<MetaConnection>,
    @InjectModel(TokenCheckClaim.name) private readonly claims: Model<TokenCheckClaim>,
  ) {}

  /**
   * Due credentials nobody holds a live claim on, earliest first, at most `limit`; `excludeIds`
   * are being worked on here already. Credentials in a state the check leaves alone are unscheduled.
   */
  async findClaimable(scope: SweepScope, now: Date, limit: number, excludeIds: string[] = []): Promise<ClaimedConnection[]> {
    const exclude = new Set(excludeIds);
    const found = await this.connections
      .find(this.dueFilter(scope, now))
      .sort({ nextCheckAt: 1 })
      .limit(limit + exclude.size)
      .lean<ConnectionDoc[]>();
    const stale = found.filter((doc) => !CHECKED_STATUSES.includes(doc.status));
    for (const doc of stale) await this.connections.updateOne({ _id: doc._id }, { $set: { nextCheckAt: null } });
    return found
      .filter((doc) => CHECKED_STATUSES.includes(doc.status) && !exclude.has(String(doc._id)) && !(doc.claimUntil && doc.claimUntil > now))
      .slice(0, limit)
      .map(toClaimed);
  }

  /**
   * Claims a credential for its current due time; the claim id, or null when another instance
   * holds it (or finished it). A claim that expired unfinished is taken over by the next generation.
   */
  async tryClaim(candidate: ClaimedConnection, instanceId: string, now: Date, claimUntil: Date): Promise<string | null> {
    const dueAt = candidate.nextCheckAt;
    if (!dueAt) return null;
    const connectionId = new Types.ObjectId(candidate.id);
    for (let generation = 0; generation < 10; generation++) {
      const claimId = `${candidate.id}@${dueAt.getTime()}#${generation}`;
      try {
        await this.claims.create({ _id: claimId, connectionId, dueAt, generation, instanceId, claimedAt: now, claimUntil, done: false });
      } catch (error) {
        if ((error as { code?: number }).code !== 11000) throw error;
        const existing = await this.claims.findById(claimId).lean();
        if (!existing) return null; // deleted meanwhile as old history: leave it to the next sweep
        if (existing.done || existing.claimUntil > now) return null;
        continue; // expired unfinished: try to take over with the next generation
      }
      const current = await this.connections.findById(connectionId, { nextCheckAt: 1, status: 1 }).lean();
      if (current && current.nextCheckAt?.getTime() === dueAt.getTime() && CHECKED_STATUSES.includes(current.status)) {
        await this.connections.updateOne({ _id: connectionId }, { $set: { claimedBy: claimId, claimUntil } });
        return claimId;
      }
      // The credential moved on since it was read (checked, reconnected): nothing to do for this due time.
      await this.markClaimDone(claimId);
      return null;
    }
    return null;
  }

  /** Claims whose lease ended long ago are history; there is no TTL index on FerretDB. */
  async deleteOldClaims(before: Date): Promise<number> {
    const result = await this.claims.deleteMany({ claimUntil: { $lt: before } });
    return result.deletedCount;
  }

  /** Writes the check's result and releases the claim, only if `claimId` still holds it. */
  async complete(id: string, claimId: string, result: CheckResult): Promise<ClaimedConnection | null> {
    if (!(await this.holds(id, claimId))) return null;
    const updated = await this.connections
      .findOneAndUpdate({ _id: new Types.ObjectId(id) }, { $set: { ...result, claimedBy: null, claimUntil: null } }, { new: true })
      .lean<ConnectionDoc>();
    await this.markClaimDone(claimId);
    return updated ? toClaimed(updated) : null;
  }

  /** A failed check: one more failure in a row, retried at `nextCheckAt`; status and token untouched. */
  async recordFailure(id: string, claimId: string, failure: string, nextCheckAt: Date): Promise<boolean> {
    if (!(await this.holds(id, claimId))) return false;
    await this.connections.updateOne(
      { _id: new Types.ObjectId(id) },
      { $set: { lastCheckFailure: failure, nextCheckAt, claimedBy: null, claimUntil: null }, $inc: { checkFailures: 1 } },
    );
    await this.markClaimDone(claimId);
    return true;
  }

  /** Gives a claim back unchecked (rate-limit back-off), to be picked up at `nextCheckAt`. */
  async release(id: string, claimId: string, nextCheckAt: Date): Promise<boolean> {
    if (!(await this.holds(id, claimId))) return false;
    await this.connections.updateOne({ _id: new Types.ObjectId(id) }, { $set: { nextCheckAt, claimedBy: null, claimUntil: null } });
    await this.markClaimDone(claimId);
    return true;
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

  /** About how many are due (claimed ones included): the total a progress bar shows. */
  countDue(scope: SweepScope, now: Date, all = false): Promise<number> {
    return this.connections.countDocuments(all ? { ...this.scopeFilter(scope), nextCheckAt: { $ne: null } } : this.dueFilter(scope, now));
  }

  /** Dry run: what a sweep would check, read without claiming. */
  async *listDue(scope: SweepScope, now: Date, all = false): AsyncGenerator<ClaimedConnection> {
    const filter = all ? { ...this.scopeFilter(scope), nextCheckAt: { $ne: null } } : this.dueFilter(scope, now);
    for await (const doc of this.connections.find(filter).sort({ nextCheckAt: 1 }).lean<ConnectionDoc[]>().cursor()) {
      if (CHECKED_STATUSES.includes((doc as ConnectionDoc).status)) yield toClaimed(doc as ConnectionDoc);
    }
  }

  /** Fence read: FerretDB applies a write filter beyond `_id` by scanning, so the holder is checked here. */
  private async holds(id: string, claimId: string): Promise<boolean> {
    const current = await this.connections.findById(id, { claimedBy: 1 }).lean();
    return current?.claimedBy === claimId;
  }

  private async markClaimDone(claimId: string): Promise<void> {
    await this.claims.updateOne({ _id: claimId }, { $set: { done: true } });
  }

  private dueFilter(scope: SweepScope, now: Date): FilterQuery<MetaConnection> {
    return { ...this.scopeFilter(scope), nextCheckAt: { $lte: now } };
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
    nextCheckAt: doc.nextCheckAt ?? null,
    status: doc.status,
    lastCheckedAt: doc.lastCheckedAt ?? null,
    lastError: doc.lastError ?? null,
    checkFailures: doc.checkFailures ?? 0,
    claimedBy: doc.claimedBy ?? null,
  };
}
