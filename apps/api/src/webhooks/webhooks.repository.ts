import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { TenantEventType, TenantEventView, WebhookDeliveryStatus, WebhookDeliveryView } from '@waba/contracts';
import { Model, mongo, Types } from 'mongoose';
import { MESSAGE_STATUS_RANK, type MessageStatusRecord, type NewTenantEvent } from '../common/events/tenant-events';
import { packBody, unpackBody } from './stored-body';
import { TenantEvent, WebhookDelivery, WebhookInboxEntry } from './webhook-records.schema';

/** Entries and deliveries as the rest of the module sees them: the body as text (it is stored deflated). */
export type InboxRecord = Omit<WebhookInboxEntry, 'body'> & { rawBody: string };
export type ArchivedDelivery = Omit<WebhookDelivery, 'appliedAt' | 'body'> & { appliedAt: Date | null; rawBody: string };
export type { NewTenantEvent } from '../common/events/tenant-events';

/**
 * The only code that touches webhook deliveries, tenant events and message statuses. What grows
 * without end (archive, events, statuses) is only ever inserted into on the way in; queries and
 * deletes go to the small inbox.
 */
@Injectable()
export class WebhooksRepository {
  constructor(
    @InjectModel(WebhookInboxEntry.name) private readonly inbox: Model<WebhookInboxEntry>,
    @InjectModel(WebhookDelivery.name) private readonly deliveries: Model<WebhookDelivery>,
    @InjectModel(TenantEvent.name) private readonly events: Model<TenantEvent>,
  ) {}

  /** Inserts inbox entries in one round trip; per entry, false when the same bytes are already waiting. */
  insertInboxEntries(entries: InboxRecord[]): Promise<boolean[]> {
    return insertUnordered(
      this.inbox.collection,
      entries.map(({ rawBody, ...entry }) => ({ ...entry, body: packBody(rawBody) })),
    );
  }

  /** Archives deliveries in one round trip; per delivery, false when those bytes were archived before. */
  archiveDeliveries(deliveries: ArchivedDelivery[]): Promise<boolean[]> {
    return insertUnordered(
      this.deliveries.collection,
      deliveries.map(({ rawBody, ...d }) => ({ ...d, body: packBody(rawBody), _id: new Types.ObjectId() })),
    );
  }

  /** Which acceptance archived these bytes and with what outcome (to tell a resumed entry from a duplicate). Rare: scans. */
  async archivedOutcome(bodySha256: string): Promise<Pick<WebhookDelivery, 'acceptId' | 'status' | 'unroutableIds'> | null> {
    return this.deliveries.findOne({ bodySha256 }, { acceptId: 1, status: 1, unroutableIds: 1 }).lean();
  }

  /** One archived delivery by the id operators see (`WebhookDeliveryView.id`); null for an unknown or malformed id. */
  async findArchivedDelivery(id: string): Promise<(ArchivedDelivery & { id: string }) | null> {
    if (!/^[a-f0-9]{24}$/i.test(id)) return null;
    const found = await this.deliveries.findById(id).lean();
    return found ? withBody(found) : null;
  }

  /** Deliveries kept as unroutable, newest first, with their bodies (the operator command reads the ids they name). */
  async listUnroutableDeliveries(limit: number): Promise<Array<ArchivedDelivery & { id: string }>> {
    const found = await this.deliveries.find({ status: 'unroutable' }).sort({ receivedAt: -1 }).limit(limit).lean();
    return found.map(withBody);
  }

  /** Records a resumed delivery's new outcome (an unroutable one that could now be applied). Rare. */
  async updateArchivedOutcome(bodySha256: string, outcome: Pick<WebhookDelivery, 'status' | 'error' | 'unroutableIds' | 'appliedAt' | 'attempts'>): Promise<void> {
    const { status, error, unroutableIds, appliedAt, attempts } = outcome;
    await this.deliveries.updateOne({ bodySha256 }, { $set: { status, error, unroutableIds, appliedAt, attempts } });
  }

  /**
   * Deletes applied entries in one statement. Every filter costs FerretDB 1.24 a read of the inbox:
   * on PostgreSQL an `_id` equality becomes a sequential scan that unpacks each stored body (an
   * `@>` test no index serves), and `$in` is not pushed down at all, so FerretDB reads the whole
   * inbox once. One statement for many ids is therefore the cheapest at any backlog; callers group
   * them (webhook-application.service.ts). On MongoDB `$in` on `_id` is an index look-up.
   */
  async deleteInboxEntries(ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.inbox.deleteMany({ _id: { $in: ids } });
  }

  /** Entries stored before `cutoff` and still waiting, oldest first (the reconciliation). */
  async inboxEntriesReceivedBefore(cutoff: Date, limit: number): Promise<InboxRecord[]> {
    const found = await this.inbox
      .find({ receivedAt: { $lt: cutoff } })
      .sort({ receivedAt: 1 })
      .limit(limit)
      .lean();
    return found.map(({ body, ...entry }) => ({ ...entry, rawBody: unpackBody({ ...entry, body }) }));
  }

  /**
   * Unroutable deliveries that mention an id just connected go back to the inbox, under their
   * first acceptance (so applying them updates their archive record); returns those put back.
   */
  async requeueUnroutable(ids: string[], now: Date): Promise<InboxRecord[]> {
    const found = await this.deliveries.find({ status: 'unroutable', unroutableIds: { $in: ids } }).lean();
    const entries: InboxRecord[] = found.map((d) => ({ _id: d.bodySha256, rawBody: unpackBody(d), sizeBytes: d.sizeBytes, receivedAt: now, acceptId: d.acceptId }));
    const inserted = await this.insertInboxEntries(entries);
    return entries.filter((_, i) => inserted[i]);
  }

  /** Retention: archived deliveries and tenant events received before the cutoffs. */
  async deleteReceivedBefore(cutoffs: { deliveries: Date; events: Date }): Promise<{ deliveries: number; events: number }> {
    const [deliveries, events] = await Promise.all([this.deliveries.deleteMany({ receivedAt: { $lt: cutoffs.deliveries } }), this.events.deleteMany({ receivedAt: { $lt: cutoffs.events } })]);
    return { deliveries: deliveries.deletedCount, events: events.deletedCount };
  }

  async listDeliveries(statuses: WebhookDeliveryStatus[], limit: number): Promise<WebhookDeliveryView[]> {
    const found = await this.deliveries
      .find({ status: { $in: statuses } }, { body: 0, rawBody: 0 })
      .sort({ receivedAt: -1 })
      .limit(limit)
      .lean();
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
    const docs = events.map(({ accountId, event: { statuses, ...event } }) => ({
      ...event,
      ...(statuses && { messageIds: statuses.map((s) => s.messageId), messageStatuses: statuses.map((s) => s.status) }),
      _id: new Types.ObjectId(),
      accountId: new Types.ObjectId(accountId),
      __v: 0,
    }));
    const inserted = await insertUnordered(this.events.collection, docs);
    return docs.flatMap((doc, i) => (inserted[i] ? [{ accountId: events[i].accountId, view: toEventView(doc) }] : []));
  }

  /** A message's status: the furthest one it reached over all the status events that name it. */
  async messageStatus(accountId: string, messageId: string): Promise<string | null> {
    // Events stored before the two lists (webhook-records.schema.ts) hold `statuses` subdocuments.
    const found = await this.events
      .find(
        { accountId: new Types.ObjectId(accountId), type: 'message.status', $or: [{ messageIds: messageId }, { 'statuses.messageId': messageId }] },
        { messageIds: 1, messageStatuses: 1, statuses: 1 },
      )
      .lean<Array<Pick<TenantEvent, 'messageIds' | 'messageStatuses'> & { statuses?: MessageStatusRecord[] }>>();
    const reached = found.flatMap((event) => [
      ...(event.messageIds ?? []).flatMap((id, i) => (id === messageId ? [event.messageStatuses?.[i] ?? ''] : [])),
      ...(event.statuses ?? []).filter((s) => s.messageId === messageId).map((s) => s.status),
    ]);
    return reached.reduce<string | null>((best, status) => (!best || (MESSAGE_STATUS_RANK[status] ?? 0) > (MESSAGE_STATUS_RANK[best] ?? 0) ? status : best), null);
  }

  /** When the latest event Meta's webhooks brought for a WABA was received (number health's "last webhook"); null when none. */
  async lastWebhookEventAt(accountId: string, wabaId: string): Promise<Date | null> {
    const fromWebhooks: TenantEventType[] = ['message.received', 'message.status', 'account.update', 'phone_number.quality', 'phone_number.name'];
    const latest = await this.events
      .findOne({ accountId: new Types.ObjectId(accountId), wabaId, type: { $in: fromWebhooks } }, { receivedAt: 1 })
      .sort({ receivedAt: -1 })
      .lean();
    return latest?.receivedAt ?? null;
  }

  async listEvents(accountId: string, filter: { types?: TenantEventType[]; page: number; pageSize: number }): Promise<{ items: TenantEventView[]; total: number }> {
    const query = { accountId: new Types.ObjectId(accountId), ...(filter.types?.length ? { type: { $in: filter.types } } : {}) };
    const [items, total] = await Promise.all([
      this.events
        .find(query)
        .sort({ occurredAt: -1, _id: -1 })
        .skip((filter.page - 1) * filter.pageSize)
        .limit(filter.pageSize)
        .lean(),
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

/** An archived delivery with its body as text and the id operators see. */
function withBody({ body, ...delivery }: Omit<WebhookDelivery, 'body'> & { _id: Types.ObjectId; body: mongo.Binary }): ArchivedDelivery & { id: string } {
  return { ...delivery, rawBody: unpackBody({ ...delivery, body }), id: String(delivery._id) };
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
