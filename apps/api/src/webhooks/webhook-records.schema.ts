import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { TenantEventType, WebhookDeliveryStatus } from '@waba/contracts';
import { Types } from 'mongoose';

/*
 * Deliveries live in two collections so that nothing on the hot path reads or updates a collection
 * that grows without end: the small inbox holds what is waiting to be applied (inserted before the
 * 200, deleted once applied), the archive keeps every delivery for good (inserted once, when it is
 * applied). On FerretDB v1 every query or update scans its collection, so this is what keeps the
 * endpoint's speed independent of how many deliveries were ever received.
 */

/**
 * One POST from Meta waiting to be applied. `_id` is the SHA-256 of the raw body: Meta's retries
 * and duplicate sends are the same bytes, so concurrent copies are one entry.
 */
@Schema({ collection: 'webhook_inbox', versionKey: false })
export class WebhookInboxEntry {
  @Prop({ type: String, required: true }) _id!: string;
  /** The raw bytes, deflated (stored-body.ts); bytes and not a document: FerretDB refuses keys with dots or `$`, and the bytes are what was signed. */
  @Prop({ type: Buffer, required: true }) body!: Buffer;
  @Prop({ type: Number, required: true }) sizeBytes!: number;
  @Prop({ type: Date, required: true }) receivedAt!: Date;
  /** Names this acceptance in the archive, telling a resumed entry from a true duplicate. */
  @Prop({ type: String, required: true }) acceptId!: string;
}
export const WebhookInboxEntrySchema = SchemaFactory.createForClass(WebhookInboxEntry);
// The reconciliation looks for entries that waited too long (the inbox stays small: applied ones are deleted).
WebhookInboxEntrySchema.index({ receivedAt: 1 });

/** Every delivery ever accepted, inserted once when it is applied (or refused as malformed). */
@Schema({ collection: 'webhook_deliveries' })
export class WebhookDelivery {
  @Prop({ type: String, required: true, unique: true }) bodySha256!: string;
  @Prop({ type: String, required: true }) acceptId!: string;
  /** Deflated, as in the inbox. */
  @Prop({ type: Buffer, required: true }) body!: Buffer;
  @Prop({ type: Number, required: true }) sizeBytes!: number;
  @Prop({ type: Date, required: true }) receivedAt!: Date;
  @Prop({ type: String, required: true }) status!: WebhookDeliveryStatus;
  @Prop({ type: Number, default: 1 }) attempts!: number;
  @Prop({ type: String, default: null }) error!: string | null;
  /** WABA and number ids nobody owned when it was applied; re-applied once one is connected. */
  @Prop({ type: [String], default: [] }) unroutableIds!: string[];
  @Prop({ type: Date, default: null }) appliedAt!: Date | null;
}
export const WebhookDeliverySchema = SchemaFactory.createForClass(WebhookDelivery);

/** One applied change, per tenant; `key` makes re-applying a delivery a no-op. */
@Schema({ collection: 'tenant_events' })
export class TenantEvent {
  @Prop({ type: Types.ObjectId, required: true }) accountId!: Types.ObjectId;
  @Prop({ type: String, required: true }) key!: string;
  @Prop({ type: String, required: true }) type!: TenantEventType;
  @Prop({ type: String, required: true }) title!: string;
  @Prop({ type: String, default: null }) detail!: string | null;
  @Prop({ type: String, default: null }) phoneNumberId!: string | null;
  @Prop({ type: String, default: null }) wabaId!: string | null;
  @Prop({ type: Date, required: true }) occurredAt!: Date;
  @Prop({ type: Date, required: true }) receivedAt!: Date;
  /** For `message.received`: the message's id. */
  @Prop({ type: String, default: null }) messageId!: string | null;
  /**
   * For `message.status`: every status one webhook change reported (Meta batches up to hundreds),
   * as one event, so a batch costs one insert. Events are never updated: a message's status is the
   * highest rank over all its events, so a late `delivered` after `read` changes nothing. Stored
   * as two lists of strings, the message ids and, at the same places, their statuses: on FerretDB
   * with PostgreSQL, 50 statuses as subdocuments cost about twice the database CPU (`npm run
   * bench:store-ops`). Events written before hold `statuses` as subdocuments.
   */
  @Prop({ type: [String], default: undefined }) messageIds?: string[];
  @Prop({ type: [String], default: undefined }) messageStatuses?: string[];
}
export const TenantEventSchema = SchemaFactory.createForClass(TenantEvent);
TenantEventSchema.index({ accountId: 1, key: 1 }, { unique: true });
TenantEventSchema.index({ accountId: 1, occurredAt: -1 });
