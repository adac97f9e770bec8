import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { TenantEventType, TenantEventView, WebhookDeliveryStatus, WebhookDeliveryView } from '@waba/contracts';
import { Model, Types } from 'mongoose';
import { isDuplicateKey } from '../common/errors/all-exceptions.filter';
import { MessageStatus, TenantEvent, WebhookClaim, WebhookDelivery } from './webhook-records.schema';

export type DeliveryRecord = WebhookDelivery & { _id: Types.ObjectId };
export interface NewTenantEvent {
  key: string;
  type: TenantEventType;
  title: string;
  detail: string | null;
  phoneNumberId: string | null;
  wabaId: string | null;
  occurredAt: Date;
  receivedAt: Date;
}

/** The only code that touches webhook deliveries, tenant events and message statuses. */
@Injectable()
export class WebhooksRepository {
  constructor(
    @InjectModel(WebhookDelivery.name) private readonly deliveries: Model<WebhookDelivery>,
    @InjectModel(TenantEvent.name) private readonly events: Model<TenantEvent>,
    @InjectModel(MessageStatus.name) private readonly statuses: Model<MessageStatus>,
    @InjectModel(WebhookClaim.name) private readonly claims: Model<WebhookClaim>,
  ) {}

  /** Stores a delivery; false when the same bytes were stored before (a duplicate). */
  async insertDelivery(delivery: Pick<WebhookDelivery, 'bodySha256' | 'rawBody' | 'sizeBytes' | 'receivedAt' | 'status' | 'error'>): Promise<boolean> {
    try {
      await this.deliveries.create(delivery);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /**
   * Takes the oldest delivery waiting to be applied (or whose claim ran out) for this instance
   * alone: the claim is the insert of `<id>#<attempt>`, which only one instance can win.
   */
  async claimNext(now: Date, claimMs: number): Promise<DeliveryRecord | null> {
    const claimUntil = new Date(now.getTime() + claimMs);
    for (let tries = 0; tries < 5; tries++) {
      const candidate = await this.deliveries
        .findOne({ status: 'received', $or: [{ claimUntil: null }, { claimUntil: { $lt: now } }] }, { _id: 1, attempts: 1 })
        .sort({ receivedAt: 1 })
        .lean();
      if (!candidate) return null;
      const claimId = `${String(candidate._id)}#${candidate.attempts}`;
      try {
        await this.claims.create({ _id: claimId, claimUntil });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        // Another instance holds this attempt; if its claim ran out (it crashed before marking the
        // delivery), move to the next attempt so the delivery can be claimed again.
        const held = await this.claims.findById(claimId).lean();
        if (held && held.claimUntil < now) await this.deliveries.updateOne({ _id: candidate._id, attempts: candidate.attempts }, { $inc: { attempts: 1 } });
        continue;
      }
      return this.deliveries.findOneAndUpdate({ _id: candidate._id }, { $set: { claimUntil }, $inc: { attempts: 1 } }, { new: true }).lean();
    }
    return null;
  }

  async finishDelivery(id: Types.ObjectId, result: { status: WebhookDeliveryStatus; error: string | null; unroutableIds: string[]; appliedAt: Date }): Promise<void> {
    await this.deliveries.updateOne({ _id: id }, { $set: { ...result, claimUntil: null } });
    await this.claims.deleteMany({ _id: { $regex: `^${String(id)}#` } });
  }

  /** Unroutable deliveries that mention an id just connected go back to the queue. */
  async requeueUnroutable(ids: string[]): Promise<number> {
    const result = await this.deliveries.updateMany({ status: 'unroutable', unroutableIds: { $in: ids } }, { $set: { status: 'received', claimUntil: null } });
    return result.modifiedCount;
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

  async countByStatus(): Promise<Record<string, number>> {
    const rows = await this.deliveries.aggregate<{ _id: string; count: number }>([{ $group: { _id: '$status', count: { $sum: 1 } } }]);
    return Object.fromEntries(rows.map((r) => [r._id, r.count]));
  }

  /** Inserts a tenant event; null when this key was applied before (idempotent re-application). */
  async insertEvent(accountId: string, event: NewTenantEvent): Promise<TenantEventView | null> {
    try {
      const created = await this.events.create({ ...event, accountId: new Types.ObjectId(accountId) });
      return toEventView(created.toObject());
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
  }

  async listEvents(accountId: string, filter: { types?: TenantEventType[]; page: number; pageSize: number }): Promise<{ items: TenantEventView[]; total: number }> {
    const query = { accountId: new Types.ObjectId(accountId), ...(filter.types?.length ? { type: { $in: filter.types } } : {}) };
    const [items, total] = await Promise.all([
      this.events.find(query).sort({ occurredAt: -1, _id: -1 }).skip((filter.page - 1) * filter.pageSize).limit(filter.pageSize).lean(),
      this.events.countDocuments(query),
    ]);
    return { items: items.map(toEventView), total };
  }

  /**
   * Moves a message's status forward only: the filter matches a lower rank or nothing, so a late
   * `delivered` after `read` hits the unique index and changes nothing. True when it moved.
   */
  async advanceMessageStatus(accountId: string, status: { messageId: string; status: string; rank: number; phoneNumberId: string | null; statusAt: Date }): Promise<boolean> {
    try {
      const result = await this.statuses.updateOne(
        { messageId: status.messageId, rank: { $lt: status.rank } },
        { $set: { ...status, accountId: new Types.ObjectId(accountId) } },
        { upsert: true },
      );
      return result.modifiedCount + result.upsertedCount > 0;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async messageStatus(accountId: string, messageId: string): Promise<string | null> {
    const found = await this.statuses.findOne({ messageId, accountId: new Types.ObjectId(accountId) }).lean();
    return found?.status ?? null;
  }
}

function toEventView(doc: TenantEvent & { _id: Types.ObjectId }): TenantEventView {
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
