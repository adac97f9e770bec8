import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { DisplayNameRequestStatus } from '@waba/contracts';
import { Types } from 'mongoose';

/** One display-name change asked of Meta for a number, and what Meta decided. */
@Schema({ collection: 'display_name_requests', timestamps: true })
export class DisplayNameRequest {
  @Prop({ type: Types.ObjectId, required: true }) accountId!: Types.ObjectId;
  @Prop({ type: String, required: true }) phoneNumberId!: string;
  @Prop({ type: String, required: true }) requestedName!: string;
  @Prop({ type: String, default: null }) previousName!: string | null;
  /** `name_status` of the name it replaces: the number keeps it until the change applies. */
  @Prop({ type: String, default: null }) previousNameStatus!: string | null;
  @Prop({ type: String, required: true }) status!: DisplayNameRequestStatus;
  @Prop({ type: String, default: null }) rejectionReason!: string | null;
  @Prop({ type: Date, required: true }) requestedAt!: Date;
  @Prop({ type: Date, default: null }) decidedAt!: Date | null;
  @Prop({ type: Date, default: null }) appliedAt!: Date | null;
}
export const DisplayNameRequestSchema = SchemaFactory.createForClass(DisplayNameRequest);
DisplayNameRequestSchema.index({ accountId: 1, phoneNumberId: 1, requestedAt: -1 });

/** When we last changed a number's two-step PIN (the PIN itself stays on the number, encrypted). */
@Schema({ collection: 'pin_changes' })
export class PinChange {
  @Prop({ type: Types.ObjectId, required: true }) accountId!: Types.ObjectId;
  @Prop({ type: String, required: true }) phoneNumberId!: string;
  @Prop({ type: Date, required: true }) at!: Date;
}
export const PinChangeSchema = SchemaFactory.createForClass(PinChange);
PinChangeSchema.index({ accountId: 1, phoneNumberId: 1, at: -1 });
