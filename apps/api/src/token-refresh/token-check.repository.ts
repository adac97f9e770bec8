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
}

export interface SweepScope {
  /** Only this tenant's credentials. */
  accountId?: string;
}

/** What a finished check writes; moving `nextCheckAt` on ends the claim. */
export type CheckResult = Partial<
  Pick<
    MetaConnection,
    'status' | 'lastError' | 'tokenType' | 'scopes' | 'grantedWabaIds' | 'expiresAt' | 'dataAccessExpiresAt' | 'lastCheckedAt' | 'lastCheckFailure' | 'encryptedToken' | 'tokenFingerprint' | 'checkFailures'
  >
> & { nextCheckAt: Date | null };

type ConnectionDoc = MetaConnection & { _id: Types.ObjectId };

/**
 * The token check's queries on `meta_connections` and `token_check_claims`. No transactions
 * (FerretDB): a claim is one insert with a unique `_id` (see TokenCheckClaim); the check's
 * result is one update of the credential, which moves `nextCheckAt` on and so ends the claim.
 * A crash before that update leaves the credential due, and its claim expires and is taken over;
 * the result write is fenced, so an instance whose claim was taken over does not overwrite it.
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
   * Due credentials, earliest first, at most `limit`; `excludeIds` are being worked on here
   * already (other instances' are sorted out by the claim insert). Credentials in a state the check leaves alone are unscheduled.
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
      .filter((doc) => CHECKED_STATUSES.includes(doc.status) && !exclude.has(String(doc._id)))
      .slice(0, limit)
      .map(toClaimed);
  }

  /**
   * Claims credentials for the due time they were read with, in one insert: returns claim ids by
   * credential id for those won. A credential another instance holds is left out, unless that claim
   * expired while the credential is still due for that time (its holder died): then the next
   * generation is inserted to take it over.
   */
  async claimMany(candidates: ClaimedConnection[], instanceId: string, now: Date, claimUntil: Date): Promise<Map<string, string>> {
    const won = new Map<string, string>();
    const due = candidates.filter((c) => c.nextCheckAt);
    const lostIds = await this.insertClaims(due.map((c) => ({ candidate: c, generation: 0 })), instanceId, now, claimUntil, won);
    if (lostIds.length === 0) return won;
    // Taken already: look at those claims once; take over the expired ones.
    const existing = await this.claims.find({ _id: { $in: lostIds } }, { claimUntil: 1, generation: 1, connectionId: 1 }).lean();
    const latest = new Map<string, { generation: number; claimUntil: Date }>();
    for (const claim of existing) {
      const key = String(claim.connectionId);
      if ((latest.get(key)?.generation ?? -1) < claim.generation) latest.set(key, claim);
    }
    let retry = due.filter((c) => !won.has(c.id)).flatMap((c) => {
      const claim = latest.get(c.id);
      return claim && claim.claimUntil <= now ? [{ candidate: c, generation: claim.generation + 1 }] : [];
    });
    for (let round = 0; retry.length && round < 3; round++) {
      const current = new Map((await this.connections.find({ _id: { $in: retry.map((r) => new Types.ObjectId(r.candidate.id)) } }, { nextCheckAt: 1 }).lean()).map((c) => [String(c._id), c.nextCheckAt?.getTime()]));
      retry = retry.filter((r) => current.get(r.candidate.id) === r.candidate.nextCheckAt?.getTime());
      const stillLost = await this.insertClaims(retry, instanceId, now, claimUntil, won);
      retry = retry.filter((r) => stillLost.includes(claimIdOf(r.candidate.id, r.candidate.nextCheckAt as Date, r.generation))).map((r) => ({ ...r, generation: r.generation + 1 }));
    }
    return won;
  }

  /** One unordered insert; fills `won` and returns the claim ids that already existed. */
  private async insertClaims(items: Array<{ candidate: ClaimedConnection; generation: number }>, instanceId: string, now: Date, claimUntil: Date, won: Map<string, string>): Promise<string[]> {
    if (items.length === 0) return [];
    const docs = items.map(({ candidate, generation }) => ({
      _id: claimIdOf(candidate.id, candidate.nextCheckAt as Date, generation),
      connectionId: new Types.ObjectId(candidate.id),
      dueAt: candidate.nextCheckAt,
      generation,
      instanceId,
      claimedAt: now,
      claimUntil,
    }));
    const duplicates = new Set<string>();
    try {
      await this.claims.collection.insertMany(docs as never[], { ordered: false });
    } catch (error) {
      const writeErrors = (error as { writeErrors?: Array<{ code?: number; index?: number; err?: { code?: number; index?: number } }> }).writeErrors;
      if (!writeErrors) throw error;
      for (const writeError of writeErrors) {
        const code = writeError.code ?? writeError.err?.code;
        const index = writeError.index ?? writeError.err?.index;
        if (code !== 11000 || index === undefined) throw error;
        duplicates.add(docs[index]._id);
      }
    }
    for (const doc of docs) if (!duplicates.has(doc._id)) won.set(String(doc.connectionId), doc._id);
    return [...duplicates];
  }

  /** One credential: `claimMany` for a single candidate. */
  async tryClaim(candidate: ClaimedConnection, instanceId: string, now: Date, claimUntil: Date): Promise<string | null> {
    return (await this.claimMany([candidate], instanceId, now, claimUntil)).get(candidate.id) ?? null;
  }

  /** Claims whose lease ended long ago are history; there is no TTL index on FerretDB. */
  async deleteOldClaims(before: Date): Promise<number> {
    const result = await this.claims.deleteMany({ claimUntil: { $lt: before } });
    return result.deletedCount;
  }

  /** Writes the check's result, only if `claimId` still holds the credential (nobody took over). */
  async complete(id: string, claimId: string, result: CheckResult): Promise<boolean> {
    if (!(await this.holds(claimId))) return false;
    await this.connections.updateOne({ _id: new Types.ObjectId(id) }, { $set: result });
    return true;
  }

  /** A failed check: one more failure in a row, retried at `nextCheckAt`; status and token untouched. */
  async recordFailure(id: string, claimId: string, failure: string, nextCheckAt: Date): Promise<boolean> {
    if (!(await this.holds(claimId))) return false;
    await this.connections.updateOne({ _id: new Types.ObjectId(id) }, { $set: { lastCheckFailure: failure, nextCheckAt }, $inc: { checkFailures: 1 } });
    return true;
  }

  /** Gives a claim back unchecked (rate-limit back-off), to be picked up at `nextCheckAt`. */
  async release(id: string, claimId: string, nextCheckAt: Date): Promise<boolean> {
    if (!(await this.holds(claimId))) return false;
    await this.connections.updateOne({ _id: new Types.ObjectId(id) }, { $set: { nextCheckAt } });
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

  /** Fence: a claim is lost once the next generation exists (an instance took it over). */
  private async holds(claimId: string): Promise<boolean> {
    const [prefix, generation] = claimId.split('#');
    return !(await this.claims.exists({ _id: `${prefix}#${Number(generation) + 1}` }));
  }

  private dueFilter(scope: SweepScope, now: Date): FilterQuery<MetaConnection> {
    return { ...this.scopeFilter(scope), nextCheckAt: { $lte: now } };
  }

  private scopeFilter(scope: SweepScope): FilterQuery<MetaConnection> {
    return scope.accountId ? { accountId: new Types.ObjectId(scope.accountId) } : {};
  }
}

function claimIdOf(connectionId: string, dueAt: Date, generation: number): string {
  return `${connectionId}@${dueAt.getTime()}#${generation}`;
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
  };
}
