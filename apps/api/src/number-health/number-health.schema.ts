import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { HealthCheckView, NumberVerdict } from '@waba/contracts';
import { Types } from 'mongoose';

/** The last verdict on one number (number-health-rules.ts), kept to show it and to notice a change. */
@Schema({ collection: 'number_health', timestamps: true })
export class NumberHealth {
  @Prop({ type: Types.ObjectId, required: true })
  accountId!: Types.ObjectId;

  @Prop({ type: String, required: true })
  phoneNumberId!: string;

  @Prop({ type: String, required: true })
  wabaId!: string;

  @Prop({ type: String, required: true })
  displayPhone!: string;

  @Prop({ type: String, required: true })
  verdict!: NumberVerdict;

  @Prop({ type: String, required: true })
  summary!: string;

  /** The checks as shown, words included (no secrets: Meta's ids and codes only). */
  @Prop({ type: [Object], default: [] })
  checks!: HealthCheckView[];

  @Prop({ type: Date, required: true })
  checkedAt!: Date;
}

export const NumberHealthSchema = SchemaFactory.createForClass(NumberHealth);
NumberHealthSchema.index({ accountId: 1, phoneNumberId: 1 }, { unique: true });
