import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { CoexistenceSyncState } from '@waba/contracts';
import { Types } from 'mongoose';

/** One kind of the one-time sync (contacts or history) of a coexistence number. */
@Schema({ _id: false })
export class SyncPart {
  @Prop({ type: String, required: true, default: 'waiting' }) state!: CoexistenceSyncState;
  /** Meta's `request_id` for the accepted request. */
  @Prop({ type: String, default: null }) requestId!: string | null;
  @Prop({ type: Date, default: null }) requestedAt!: Date | null;
  @Prop({ type: String, default: null }) error!: string | null;
}
const SyncPartSchema = SchemaFactory.createForClass(SyncPart);

/**
 * The contacts and history synchronisation of a number on the WhatsApp Business app: requested
 * once per kind (the state moves from `waiting` only once), then fed by Meta's webhooks.
 */
@Schema({ collection: 'coexistence_syncs', timestamps: true })
export class CoexistenceSync {
  @Prop({ type: String, required: true, unique: true }) phoneNumberId!: string;
  @Prop({ type: Types.ObjectId, required: true, index: true }) accountId!: Types.ObjectId;
  @Prop({ type: String, required: true }) wabaId!: string;
  @Prop({ type: Types.ObjectId, required: true }) connectionId!: Types.ObjectId;
  @Prop({ type: String, required: true }) displayPhone!: string;
  /** Meta's `last_onboarded_time`; when unknown, the time we connected the number. */
  @Prop({ type: Date, required: true }) onboardedAt!: Date;

  @Prop({ type: SyncPartSchema, default: () => ({}) }) contacts!: SyncPart;
  @Prop({ type: SyncPartSchema, default: () => ({}) }) history!: SyncPart;

  /** Numbers in the app's address book, as the `smb_app_state_sync` webhooks left it. */
  @Prop({ type: [String], default: [] }) contactNumbers!: string[];
  /** Highest progress (0–100) and phase seen; chunks keyed `<phase>-<chunk_order>` with their message count. */
  @Prop({ type: Number, default: 0 }) historyProgress!: number;
  @Prop({ type: Number, default: null }) historyPhase!: number | null;
  @Prop({ type: Object, default: () => ({}) }) historyChunks!: Record<string, number>;
  /** Ids of messages the business sent from the app (`smb_message_echoes`), counted once each. */
  @Prop({ type: [String], default: [] }) echoIds!: string[];
}

export const CoexistenceSyncSchema = SchemaFactory.createForClass(CoexistenceSync);
