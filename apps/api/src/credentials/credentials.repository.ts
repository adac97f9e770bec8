import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { ConnectionSource, ConnectionStatus } from '@waba/contracts';
import { Model, Types } from 'mongoose';
import { MetaConnection } from './meta-connection.schema';

export interface ConnectionRecord {
  id: string;
  accountId: string;
  encryptedToken: string;
  /** The token's SHA-256: what the ciphertext is bound to (with the tenant). */
  tokenFingerprint: string;
  source: ConnectionSource;
  tokenType: string | null;
  scopes: string[];
  grantedWabaIds: string[];
  expiresAt: Date | null;
  dataAccessExpiresAt: Date | null;
  status: ConnectionStatus;
  lastCheckedAt: Date | null;
  lastError: string | null;
  /** When the token check is due next; null once it no longer checks this credential. */
  nextCheckAt: Date | null;
  /** Failed checks in a row (timeouts, 5xx). */
  checkFailures: number;
  /** When this credential was first stored (the schema's timestamps). */
  savedAt: Date | null;
}

export type ConnectionGrant = Omit<ConnectionRecord, 'id' | 'accountId' | 'status' | 'lastCheckedAt' | 'lastError' | 'nextCheckAt' | 'checkFailures' | 'savedAt'> & {
  metaUserId: string | null;
  createdBy: string | null;
  checkedAt: Date;
  /** When the token check should look at it first. */
  nextCheckAt: Date;
};

@Injectable()
export class CredentialsRepository {
  constructor(@InjectModel(MetaConnection.name) private readonly connections: Model<MetaConnection>) {}

  /** The same token granted again updates its record (one credential, one document). */
  async upsertGrant(accountId: string, grant: ConnectionGrant): Promise<ConnectionRecord> {
    const { tokenFingerprint, createdBy, checkedAt, ...fields } = grant;
    const saved = await this.connections
      .findOneAndUpdate(
        { accountId: new Types.ObjectId(accountId), tokenFingerprint },
        {
          $set: { ...fields, status: 'active', lastCheckedAt: checkedAt, lastError: null, checkFailures: 0, lastCheckFailure: null },
          $setOnInsert: { createdBy: createdBy ? new Types.ObjectId(createdBy) : null },
        },
        { upsert: true, new: true },
      )
      .lean();
    return toConnectionRecord(saved);
  }

  async find(accountId: string, connectionId: string): Promise<ConnectionRecord | null> {
    if (!Types.ObjectId.isValid(connectionId)) return null;
    const found = await this.connections.findOne({ _id: new Types.ObjectId(connectionId), accountId: new Types.ObjectId(accountId) }).lean();
    return found ? toConnectionRecord(found) : null;
  }

  async findMany(accountId: string, connectionIds: string[]): Promise<ConnectionRecord[]> {
    const ids = connectionIds.filter((id) => Types.ObjectId.isValid(id)).map((id) => new Types.ObjectId(id));
    // One id (a token check telling the tenant what changed) by equality: FerretDB 1.24 looks that
    // up in its index but reads and decodes every credential for `$in`.
    const filter = ids.length === 1 ? { _id: ids[0] } : { _id: { $in: ids } };
    const found = await this.connections.find({ ...filter, accountId: new Types.ObjectId(accountId) }).lean();
    return found.map(toConnectionRecord);
  }

  async setStatus(accountId: string, connectionId: string, status: ConnectionStatus, lastError: string | null): Promise<void> {
    await this.connections.updateOne({ _id: new Types.ObjectId(connectionId), accountId: new Types.ObjectId(accountId) }, { $set: { status, lastError } });
  }

  /** For the metrics (at scrape): how many credentials are in each state; one aggregation. */
  async countByStatus(): Promise<Partial<Record<ConnectionStatus, number>>> {
    const groups = await this.connections.aggregate<{ _id: ConnectionStatus; count: number }>([{ $group: { _id: '$status', count: { $sum: 1 } } }]);
    return Object.fromEntries(groups.map((g) => [g._id, g.count]));
  }

  /** For the metrics: the expiry (null: never) of every credential still in use, and nothing else of it. */
  async usableExpiries(): Promise<Array<Date | null>> {
    const found = await this.connections.find({ status: { $in: ['active', 'expiring'] } }, { _id: 0, expiresAt: 1 }).lean();
    return found.map((doc) => doc.expiresAt ?? null);
  }

  /** For the key-rotation command: every stored token, across tenants. */
  async *allEncryptedTokens(): AsyncGenerator<{ id: string; accountId: string; tokenFingerprint: string; encryptedToken: string }> {
    for await (const doc of this.connections.find({}, { accountId: 1, tokenFingerprint: 1, encryptedToken: 1 }).lean().cursor()) {
      yield { id: String(doc._id), accountId: String(doc.accountId), tokenFingerprint: doc.tokenFingerprint, encryptedToken: doc.encryptedToken };
    }
  }

  async replaceEncryptedToken(id: string, previous: string, next: string): Promise<boolean> {
    const result = await this.connections.updateOne({ _id: new Types.ObjectId(id), encryptedToken: previous }, { $set: { encryptedToken: next } });
    return result.modifiedCount === 1;
  }
}

/** The one reading of a stored credential (credential-checks.repository.ts takes its check's share of it); fields older documents lack get their defaults. */
export function toConnectionRecord(doc: MetaConnection & { _id: Types.ObjectId }): ConnectionRecord {
  return {
    id: String(doc._id),
    accountId: String(doc.accountId),
    encryptedToken: doc.encryptedToken,
    tokenFingerprint: doc.tokenFingerprint,
    source: doc.source,
    tokenType: doc.tokenType ?? null,
    scopes: doc.scopes ?? [],
    grantedWabaIds: doc.grantedWabaIds ?? [],
    expiresAt: doc.expiresAt ?? null,
    dataAccessExpiresAt: doc.dataAccessExpiresAt ?? null,
    status: doc.status,
    lastCheckedAt: doc.lastCheckedAt ?? null,
    lastError: doc.lastError ?? null,
    nextCheckAt: doc.nextCheckAt ?? null,
    checkFailures: doc.checkFailures ?? 0,
    savedAt: (doc as { createdAt?: Date }).createdAt ?? null,
  };
}
