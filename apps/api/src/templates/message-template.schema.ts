import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { TemplateComponentView } from '@waba/contracts';
import { Types } from 'mongoose';

/**
 * One message template of a connected WABA, mirrored from Meta. Each aspect Meta changes on its
 * own (status, quality, category, components) carries the time of the change that set it
 * (`<aspect>At`: Meta's webhook time, or when a full read began), and a change older than what is
 * stored is not applied: a late webhook never undoes a newer one, a repeated one changes nothing.
 */
@Schema({ collection: 'message_templates', versionKey: false })
export class MessageTemplate {
  @Prop({ type: Types.ObjectId, required: true }) accountId!: Types.ObjectId;
  @Prop({ type: String, required: true }) wabaId!: string;
  /** Meta's template id. */
  @Prop({ type: String, required: true }) templateId!: string;
  @Prop({ type: String, required: true }) name!: string;
  @Prop({ type: String, required: true }) language!: string;
  @Prop({ type: String, default: null }) parameterFormat!: string | null;

  @Prop({ type: String, default: null }) status!: string | null;
  @Prop({ type: String, default: null }) rejectedReason!: string | null;
  /** Meta's own words on a rejection or pause (the webhook's recommendation or description). */
  @Prop({ type: String, default: null }) metaDetail!: string | null;
  @Prop({ type: Date, required: true }) statusAt!: Date;

  @Prop({ type: String, default: null }) qualityScore!: string | null;
  @Prop({ type: Date, required: true }) qualityAt!: Date;

  @Prop({ type: String, default: null }) category!: string | null;
  @Prop({ type: String, default: null }) previousCategory!: string | null;
  @Prop({ type: Date, required: true }) categoryAt!: Date;

  @Prop({ type: [Object], default: [] }) components!: TemplateComponentView[];
  @Prop({ type: Date, required: true }) componentsAt!: Date;

  /** When anything here last changed (our clock). */
  @Prop({ type: Date, required: true }) updatedAt!: Date;
}
export const MessageTemplateSchema = SchemaFactory.createForClass(MessageTemplate);
MessageTemplateSchema.index({ accountId: 1, wabaId: 1, templateId: 1 }, { unique: true });

/** The last full read of one WABA's templates from Meta. */
@Schema({ collection: 'message_template_syncs', versionKey: false })
export class MessageTemplateSync {
  @Prop({ type: Types.ObjectId, required: true }) accountId!: Types.ObjectId;
  @Prop({ type: String, required: true }) wabaId!: string;
  @Prop({ type: Date, default: null }) lastSyncedAt!: Date | null;
  @Prop({ type: Date, default: null }) lastAttemptAt!: Date | null;
  @Prop({ type: String, default: null }) lastError!: string | null;
}
export const MessageTemplateSyncSchema = SchemaFactory.createForClass(MessageTemplateSync);
MessageTemplateSyncSchema.index({ accountId: 1, wabaId: 1 }, { unique: true });
