import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { ConnectionSource, PhoneNumberState, RegistrationState } from '@waba/contracts';
import { Types } from 'mongoose';
import { MetaNumberFacts } from './number-facts.schema';

/**
 * A phone number connected by a tenant. `phoneNumberId` is unique across tenants: webhooks are
 * routed by it. Disconnecting keeps the document (history); reconnecting reuses it.
 */
@Schema({ collection: 'phone_numbers', timestamps: true })
export class PhoneNumber extends MetaNumberFacts {
  @Prop({ type: String, required: true, unique: true })
  phoneNumberId!: string;

  @Prop({ type: Types.ObjectId, required: true, index: true })
  accountId!: Types.ObjectId;

  @Prop({ type: String, required: true, index: true })
  wabaId!: string;

  @Prop({ type: Types.ObjectId, required: true })
  connectionId!: Types.ObjectId;

  @Prop({ type: String, required: true, default: 'pending' })
  state!: PhoneNumberState;

  @Prop({ type: String, required: true, default: 'pending' })
  registration!: RegistrationState;

  /** The two-step PIN we set when registering, encrypted (Meta needs it to re-register). */
  @Prop({ type: String, default: null })
  encryptedPin!: string | null;

  @Prop({ type: String, default: null })
  lastError!: string | null;

  @Prop({ default: false })
  isActive!: boolean;

  @Prop({ type: String, required: true })
  source!: ConnectionSource;

  @Prop({ type: Date, default: null }) lastRefreshedAt!: Date | null;
  @Prop({ type: Date, default: null }) connectedAt!: Date | null;
  @Prop({ type: Date, default: null }) disconnectedAt!: Date | null;
}

export const PhoneNumberSchema = SchemaFactory.createForClass(PhoneNumber);
