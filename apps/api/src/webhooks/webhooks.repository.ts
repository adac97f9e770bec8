import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { TenantEventType, TenantEventView, WebhookDeliveryStatus, WebhookDeliveryView } from '@waba/contracts';
import { Model, mongo, Types } from 'mongoose';
import { isDuplicateKey } from '../common/errors/all-exceptions.filter';
import { TenantEvent, WebhookClaim, WebhookDelivery, WebhookInboxEntry, WebhookWorker } from './webhook-records.schema';

export type InboxRecord = WebhookInboxEntry;
export type ArchivedDelivery = Omit<WebhookDelivery, 'appliedAt'> & { appliedAt: Date | null };
export interface NewTenantEvent {
  key: string;
  type: TenantEventType;
  title: string;
  detail: string | null;
  phoneNumberId: string | null;
  wabaId: string | null;
  occurredAt: Date;
  receivedAt: Date;
  messageId: string | null;
  messageStatus: string | null;
  statusRank: number | null;
}

/**
 * The only code that touches webhook deliveries, tenant events and message statuses. What grows
 * without end (archive, events, statuses) is only ever inserted into on the way in; queries and
 * updates go to the small inbox, workers and claims collections.
 */
@Injectable()
export class WebhooksRepository {
  constructor(
    @InjectModel(WebhookInboxEntry.name) private readonly inbox: Model<WebhookInboxEntry>,
    @InjectModel(WebhookDelivery.name) private readonly deliveries: Model<WebhookDelivery>,
    @InjectModel(WebhookWorker.name) private readonly workers: Model<WebhookWorker>,
    @InjectModel(WebhookClaim.name) private readonly claims: Model<WebhookClaim>,
    @InjectModel(TenantEvent.name) private readonly events: Model<TenantEvent>,
  ) {}

  /** Inserts inbox entries in one round trip; per entry, false when the same bytes are already waiting. */
  insertInboxEntries(entries: InboxRecord[]): Promise<boolean[]> {
    return insertUnordered(this.inbox.collection, entries);
  }

  /** Archives deliveries in one round trip; per delivery, false when those bytes were archived before. */
  archiveDeliveries(deliveries: ArchivedDelivery[]): Promise<boolean[]> {
    return insertUnordered(this.deliveries.collection, deliveries.map((d) => ({ ...d, _id: new Types.ObjectId() })));
  }

  /** Which acceptance archived these bytes (to tell a resumed entry from a duplicate). Rare: scans. */
  async archivedAcceptId(bodySha256: string): Promise<string | null> {
    return (await this.deliveries.findOne({ bodySha256 }, { acceptId: 1 }).lean())?.acceptId ?? null;
  }

  /** Records a resumed delivery's new outcome (an unroutable one that could now be applied). Rare. */
  async updateArchivedOutcome(bodySha256: string, outcome: Pick<WebhookDelivery, 'status' | 'error' | 'unroutableIds' | 'appliedAt' | 'attempts'>): Promise<void> {
    const { status, error, unroutableIds, appliedAt, attempts } = outcome;
    await this.deliveries.updateOne({ bodySha256 }, { $set: { status, error, unroutableIds, appliedAt, attempts } });
  }

  /** Deletes applied entries: whole flushes by one equal-to filter each, single entries by id. */
  async deleteInboxEntries(flushes: string[], ids: string[]): Promise<void> {
    await Promise.all([...flushes.map((flush) => this.inbox.deleteMany({ flush })), ...ids.map((_id) => this.inbox.deleteOne({ _id }))]);
  }

  /** Entries this instance owns, oldest first, skipping those it already holds in memory. */
  async inboxEntriesOf(owner: string, limit: number, skip: ReadonlySet<string>): Promise<InboxRecord[]> {
    const found = await this.inbox.find({ owner }).sort({ receivedAt: 1 }).limit(limit + skip.size).lean();
    return found.filter((entry) => !skip.has(entry._id)).slice(0, limit);
  }

  // ---- workers: who applies the inbox, and taking over from a dead one

  async registerWorker(id: string, now: Date): Promise<void> {
    await this.workers.updateOne({ _id: id }, { $set: { seenAt: now } }, { upsert: true });
  }

  /** False when this worker was declared dead (its entries may have been taken over). */
  async heartbeat(id: string, now: Date): Promise<boolean> {
    return (await this.workers.updateOne({ _id: id }, { $set: { seenAt: now } })).matchedCount === 1;
  }

  async staleWorkers(seenBefore: Date): Promise<string[]> {
    return (await this.workers.find({ seenAt: { $lt: seenBefore } }, { _id: 1 }).lean()).map((w) => w._id);
  }

  async liveWorkers(seenSince: Date): Promise<string[]> {
    return (await this.workers.find({ seenAt: { $gte: seenSince } }, { _id: 1 }).lean()).map((w) => w._id);
  }

  async removeWorker(id: string): Promise<void> {
    await this.workers.deleteOne({ _id: id });
  }

  /** The right to take over a dead worker's entries: an insert, so exactly one worker wins it. */
  async claimTakeover(deadWorker: string, by: string, now: Date): Promise<boolean> {
    try {
      await this.claims.create({ _id: `takeover:${deadWorker}`, by, claimedAt: now });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async takeoverClaimant(deadWorker: string): Promise<string | null> {
    return (await this.claims.findOne({ _id: `takeover:${deadWorker}` }).lean())?.by ?? null;
  }

  /** Drops a claim whose holder died before finishing, so the takeover can be claimed again. */
  async releaseTakeover(deadWorker: string, heldBy: string): Promise<void> {
    await this.claims.deleteOne({ _id: `takeover:${deadWorker}`, by: heldBy });
  }

  /** Moves entries to another owner; each moved entry counts as one more attempt. */
  async moveInboxEntries(from: string, to: string): Promise<number> {
    return (await this.inbox.updateMany({ owner: from }, { $set: { owner: to }, $inc: { attempts: 1 } })).modifiedCount;
  }

  /** Unroutable deliveries that mention an id just connected go back to the inbox, owned by `owner`. */
  async requeueUnroutable(ids: string[], owner: string, now: Date): Promise<number> {
    const found = await this.deliveries.find({ status: 'unroutable', unroutableIds: { $in: ids } }).lean();
    const entries = found.map((d) => ({ _id: d.bodySha256, rawBody: d.rawBody, sizeBytes: d.sizeBytes, receivedAt: now, owner, flush: `requeue:${d.bodySha256}`, acceptId: d.acceptId, attempts: d.attempts }));
    return (await insertUnordered(this.inbox.collection, entries)).filter(Boolean).length;
  }

  async listDeliveries(statuses: WebhookDeliveryStatus[], limit: number): Promise<WebhookDeliveryView[]> {
    const found = await this.deliveries.find({ status: { $in: statuses } }, { rawBody: 0 }).sort({ receivedAt: -1 }).limit(limit).lean();
    return found.map((d) => ({
      id: String(d._id),
      status: d.status,
      receivedAt: d.receivedAt.toISOString(),
      sizeBytes: d.sizeBytes,
      attempts: d.attempts,
      error: d.error,
      unroutableIds: d.unroutableIds,
    }));
  }

  // ---- what applying a delivery writes

  /** Inserts tenant events in one round trip; returns the ones that are new (keys seen before are skipped). */
  async insertEvents(events: Array<{ accountId: string; event: NewTenantEvent }>): Promise<Array<{ accountId: string; view: TenantEventView }>> {
    const docs = events.map(({ accountId, event }) => ({ ...event, _id: new Types.ObjectId(), accountId: new Types.ObjectId(accountId), __v: 0 }));
    const inserted = await insertUnordered(this.events.collection, docs);
    return docs.flatMap((doc, i) => (inserted[i] ? [{ accountId: events[i].accountId, view: toEventView(doc) }] : []));
  }

  /** A message's status: the furthest one it reached. */
  async messageStatus(accountId: string, messageId: string): Promise<string | null> {
    const found = await this.events.findOne({ accountId: new Types.ObjectId(accountId), messageId, type: 'message.status' }).sort({ statusRank: -1 }).lean();
    return found?.messageStatus ?? null;
  }

  async listEvents(accountId: string, filter: { types?: TenantEventType[]; page: number; pageSize: number }): Promise<{ items: TenantEventView[]; total: number }> {
    const query = { accountId: new Types.ObjectId(accountId), ...(filter.types?.length ? { type: { $in: filter.types } } : {}) };
    const [items, total] = await Promise.all([
      this.events.find(query).sort({ occurredAt: -1, _id: -1 }).skip((filter.page - 1) * filter.pageSize).limit(filter.pageSize).lean(),
      this.events.countDocuments(query),
    ]);
    return { items: items.map(toEventView), total };
  }
}

/**
 * insertMany that goes on past duplicates (ordered: false): per document, true when inserted and
 * false when a unique index already held it. Any other write error fails the call.
 */
async function insertUnordered(collection: mongo.Collection<mongo.Document>, docs: object[]): Promise<boolean[]> {
  if (!docs.length) return [];
  try {
    await collection.insertMany(docs, { ordered: false });
    return docs.map(() => true);
  } catch (error) {
    if (!(error instanceof mongo.MongoBulkWriteError)) throw error;
    const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    // No per-document errors: the whole write failed (the server went away mid-way, say).
    if (!writeErrors.length || writeErrors.some((w) => w?.code !== 11000)) throw error;
    const duplicates = new Set(writeErrors.map((w) => w.index));
    return docs.map((_, i) => !duplicates.has(i));
  }
}

function toEventView(doc: Omit<TenantEvent, 'accountId'> & { _id: Types.ObjectId }): TenantEventView {
  return {
    id: String(doc._id),
    type: doc.type,
    title: doc.title,
    detail: doc.detail,
    phoneNumberId: doc.phoneNumberId,
    wabaId: doc.wabaId,
    occurredAt: doc.occurredAt.toISOString(),
    receivedAt: doc.receivedAt.toISOString(),
  };
}
