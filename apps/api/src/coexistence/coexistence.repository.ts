import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { CoexistenceSyncState } from '@waba/contracts';
import { Model, Types } from 'mongoose';
import { Turns } from '../common/batching/turns';
import { CoexistenceSync, type SyncPart } from './coexistence-sync.schema';

export type CoexistenceSyncRecord = CoexistenceSync & { _id: Types.ObjectId };
export type SyncKind = 'contacts' | 'history';

/**
 * The only code that touches the coexistence_syncs collection. Writes to one number's record take
 * turns within the process: FerretDB applies an update by rewriting the whole document, so a
 * history chunk applied while the sync job stored Meta's request id was lost. (MongoDB's field
 * updates are atomic anyway.)
 */
@Injectable()
export class CoexistenceRepository {
  private readonly writes = new Turns();

  constructor(@InjectModel(CoexistenceSync.name) private readonly syncs: Model<CoexistenceSync>) {}

  /**
   * The number's sync record, created on first connect. A later connect keeps what was requested,
   * unless Meta reports a newer onboarding: that opens a new window, so the sync starts over.
   */
  async ensure(input: { accountId: string; phoneNumberId: string; wabaId: string; connectionId: string; displayPhone: string; onboardedAt: Date }): Promise<CoexistenceSyncRecord> {
    const { accountId, connectionId, ...rest } = input;
    const waiting = { state: 'waiting', requestId: null, requestedAt: null, error: null };
    const fresh = { contacts: waiting, history: waiting, contactNumbers: [], historyProgress: 0, historyPhase: null, historyChunks: {}, echoIds: [] };
    const reonboarded = await this.syncs
      .findOneAndUpdate(
        { phoneNumberId: input.phoneNumberId, onboardedAt: { $lt: input.onboardedAt } },
        { $set: { ...rest, ...fresh, accountId: new Types.ObjectId(accountId), connectionId: new Types.ObjectId(connectionId) } },
        { new: true },
      )
      .lean<CoexistenceSyncRecord>();
    if (reonboarded) return reonboarded;
    return this.syncs
      .findOneAndUpdate(
        { phoneNumberId: input.phoneNumberId },
        { $setOnInsert: { ...rest, accountId: new Types.ObjectId(accountId) }, $set: { connectionId: new Types.ObjectId(connectionId) } },
        { upsert: true, new: true },
      )
      .lean<CoexistenceSyncRecord>();
  }

  find(phoneNumberId: string): Promise<CoexistenceSyncRecord | null> {
    return this.syncs.findOne({ phoneNumberId }).lean<CoexistenceSyncRecord>();
  }

  findOfTenant(accountId: string, phoneNumberId: string): Promise<CoexistenceSyncRecord | null> {
    return this.syncs.findOne({ phoneNumberId, accountId: new Types.ObjectId(accountId) }).lean<CoexistenceSyncRecord>();
  }

  list(accountId: string): Promise<CoexistenceSyncRecord[]> {
    return this.syncs
      .find({ accountId: new Types.ObjectId(accountId) })
      .sort({ createdAt: 1 })
      .lean<CoexistenceSyncRecord[]>();
  }

  /**
   * Moves one kind from `from` to `to` only if it is still in `from`: the one atomic step that makes
   * a request to Meta happen at most once, whatever runs the job twice.
   */
  async transition(phoneNumberId: string, kind: SyncKind, from: CoexistenceSyncState, to: Partial<SyncPart> & { state: CoexistenceSyncState }): Promise<CoexistenceSyncRecord | null> {
    return this.writes.run(phoneNumberId, () => this.syncs.findOneAndUpdate({ phoneNumberId, [`${kind}.state`]: from }, { $set: prefixed(kind, to) }, { new: true }).lean<CoexistenceSyncRecord>());
  }

  /** Sets one kind whatever its state (webhooks: Meta's word is the latest). */
  setPart(accountId: string, phoneNumberId: string, kind: SyncKind, part: Partial<SyncPart>, extra: Record<string, unknown> = {}): Promise<CoexistenceSyncRecord | null> {
    return this.writes.run(phoneNumberId, () =>
      this.syncs.findOneAndUpdate({ phoneNumberId, accountId: new Types.ObjectId(accountId) }, { $set: { ...prefixed(kind, part), ...extra } }, { new: true }).lean<CoexistenceSyncRecord>(),
    );
  }

  /** A history chunk: its message count under its key; progress and phase only move forward. */
  async recordHistoryChunk(accountId: string, phoneNumberId: string, chunk: { key: string; messages: number; progress: number | null; phase: number | null }): Promise<CoexistenceSyncRecord | null> {
    const filter = { phoneNumberId, accountId: new Types.ObjectId(accountId) };
    await this.writes.run(phoneNumberId, () =>
      this.syncs.updateOne(filter, {
        $set: { [`historyChunks.${chunk.key}`]: chunk.messages },
        $max: { historyProgress: chunk.progress ?? 0, ...(chunk.phase !== null ? { historyPhase: chunk.phase } : {}) },
      }),
    );
    return this.syncs.findOne(filter).lean<CoexistenceSyncRecord>();
  }

  async changeContacts(accountId: string, phoneNumberId: string, added: string[], removed: string[]): Promise<void> {
    const filter = { phoneNumberId, accountId: new Types.ObjectId(accountId) };
    if (added.length) await this.writes.run(phoneNumberId, () => this.syncs.updateOne(filter, { $addToSet: { contactNumbers: { $each: added } } }));
    if (removed.length) await this.writes.run(phoneNumberId, () => this.syncs.updateOne(filter, { $pull: { contactNumbers: { $in: removed } } }));
  }

  async addEchoes(accountId: string, phoneNumberId: string, ids: string[]): Promise<CoexistenceSyncRecord | null> {
    const filter = { phoneNumberId, accountId: new Types.ObjectId(accountId) };
    await this.writes.run(phoneNumberId, () => this.syncs.updateOne(filter, { $addToSet: { echoIds: { $each: ids } } }));
    return this.syncs.findOne(filter).lean<CoexistenceSyncRecord>();
  }
}

function prefixed(kind: SyncKind, part: Partial<SyncPart>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(part).map(([key, value]) => [`${kind}.${key}`, value]));
}
