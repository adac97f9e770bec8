import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { TenantEventType, WebhookDeliveryStatus } from '@waba/contracts';
import { Types } from 'mongoose';

/**
 * One POST from Meta, stored before we answer 200. The raw body is kept as a string (FerretDB
 * refuses keys with dots or `$`, and the bytes are what the signature covered).
 */
@Schema({ collection: 'webhook_deliveries' })
export class WebhookDelivery {
  /** SHA-256 of the raw body: Meta's retries and duplicate sends are the same bytes. */
  @Prop({ type: String, required: true, unique: true }) bodySha256!: string;
  @Prop({ type: String, required: true }) rawBody!: string;
  @Prop({ type: Number, required: true }) sizeBytes!: number;
  @Prop({ type: Date, required: true }) receivedAt!: Date;
  @Prop({ type: String, required: true, index: true }) status!: WebhookDeliveryStatus;
  @Prop({ type: Number, default: 0 }) attempts!: number;
  /** Work claim: an instance owns the delivery until then; a crashed instance's claim runs out. */
  @Prop({ type: Date, default: null }) claimUntil!: Date | null;
  @Prop({ type: String, default: null }) error!: string | null;
  /** WABA and number ids nobody owned when it was applied; re-applied once one is connected. */
  @Prop({ type: [String], default: [] }) unroutableIds!: string[];
  @Prop({ type: Date, default: null }) appliedAt!: Date | null;
}
export const WebhookDeliverySchema = SchemaFactory.createForClass(WebhookDelivery);

/**
 * Who applies a delivery, for one attempt: `_id` is `<deliveryId>#<attempt>`, so the claim is an
 * insert that exactly one instance wins. (FerretDB v1 does not isolate a findOneAndUpdate filter
 * from its write, so a claim by update could be won twice there; a duplicate key is refused.)
 */
@Schema({ collection: 'webhook_claims', versionKey: false })
export class WebhookClaim {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: Date, required: true }) claimUntil!: Date;
}
export const WebhookClaimSchema = SchemaFactory.createForClass(WebhookClaim);

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
}
export const TenantEventSchema = SchemaFactory.createForClass(TenantEvent);
TenantEventSchema.index({ accountId: 1, key: 1 }, { unique: true });
TenantEventSchema.index({ accountId: 1, occurredAt: -1 });

/** The latest status of an outgoing message; only ever moves forward (sent → delivered → read). */
@Schema({ collection: 'message_statuses' })
export class MessageStatus {
  @Prop({ type: String, required: true, unique: true }) messageId!: string;
  @Prop({ type: Types.ObjectId, required: true }) accountId!: Types.ObjectId;
  @Prop({ type: String, required: true }) status!: string;
  @Prop({ type: Number, required: true }) rank!: number;
  @Prop({ type: String, default: null }) phoneNumberId!: string | null;
  @Prop({ type: Date, required: true }) statusAt!: Date;
}
export const MessageStatusSchema = SchemaFactory.createForClass(MessageStatus);
