import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

export type WabaState = 'connected' | 'disconnected' | 'revoked';

/** A WABA connected by a tenant. `wabaId` is unique across tenants: one owner at a time. */
@Schema({ collection: 'whatsapp_business_accounts', timestamps: true })
export class WhatsAppBusinessAccount {
  @Prop({ type: String, required: true, unique: true })
  wabaId!: string;

  @Prop({ type: Types.ObjectId, required: true, index: true })
  accountId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  connectionId!: Types.ObjectId;

  @Prop({ type: String, default: null })
  name!: string | null;

  @Prop({ type: String, default: null })
  ownerBusinessId!: string | null;

  @Prop({ type: String, default: null })
  ownerBusinessName!: string | null;

  /** Our app is in the WABA's `subscribed_apps` (webhooks flow). */
  @Prop({ default: false })
  subscribed!: boolean;

  @Prop({ type: String, required: true, default: 'connected' })
  state!: WabaState;

  @Prop({ type: Date, default: null })
  disconnectedAt!: Date | null;

  /** Meta's last restriction or violation (account_update), shown on the WABA's card; null when none. */
  @Prop({ type: Object, default: null })
  restriction!: { event: string; explanation: string; at: Date } | null;
}

export const WhatsAppBusinessAccountSchema = SchemaFactory.createForClass(WhatsAppBusinessAccount);
