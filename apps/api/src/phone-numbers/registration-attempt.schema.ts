import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/**
 * A register or deregister call we made for a number: Meta allows 10 in a moving 72 hours, failed
 * ones included. The budget reads only the last 72 hours; FerretDB has no TTL indexes, so older
 * attempts stay as a history.
 */
@Schema({ collection: 'registration_attempts' })
export class RegistrationAttempt {
  @Prop({ type: Types.ObjectId, required: true }) accountId!: Types.ObjectId;
  @Prop({ type: String, required: true }) phoneNumberId!: string;
  @Prop({ type: String, required: true }) kind!: 'register' | 'deregister';
  @Prop({ type: String, required: true }) outcome!: 'ok' | 'failed' | 'limited';
  @Prop({ type: Date, required: true }) at!: Date;
}
export const RegistrationAttemptSchema = SchemaFactory.createForClass(RegistrationAttempt);
RegistrationAttemptSchema.index({ accountId: 1, phoneNumberId: 1, at: -1 });
