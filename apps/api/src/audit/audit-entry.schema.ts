import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/** Who did what to which WhatsApp asset, kept per tenant. */
@Schema({ collection: 'audit_log' })
export class AuditEntry {
  @Prop({ type: Types.ObjectId, required: true })
  accountId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, default: null })
  userId!: Types.ObjectId | null;

  @Prop({ type: String, default: null })
  actorName!: string | null;

  @Prop({ type: String, required: true })
  action!: string;

  @Prop({ type: String, required: true })
  target!: string;

  @Prop({ type: String, default: null })
  details!: string | null;

  @Prop({ required: true })
  at!: Date;
}

export const AuditEntrySchema = SchemaFactory.createForClass(AuditEntry);
AuditEntrySchema.index({ accountId: 1, at: -1 });
