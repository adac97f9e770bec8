import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { OnboardingAttemptErrorSource, OnboardingAttemptFlow, OnboardingAttemptStatus, OnboardingAttemptStep } from '@waba/contracts';
import { Types } from 'mongoose';

@Schema({ _id: false })
export class AttemptError {
  @Prop({ type: String, required: true }) source!: OnboardingAttemptErrorSource;
  @Prop({ type: String, required: true }) message!: string;
  @Prop({ type: String, default: null }) code!: string | null;
  @Prop({ type: String, default: null }) sessionId!: string | null;
}
const AttemptErrorSchema = SchemaFactory.createForClass(AttemptError);

@Schema({ _id: false })
export class AttemptFailure {
  @Prop({ type: String, required: true }) phoneNumberId!: string;
  @Prop({ type: String, required: true }) displayPhone!: string;
  @Prop({ type: String, required: true }) reason!: string;
}
const AttemptFailureSchema = SchemaFactory.createForClass(AttemptFailure);

/** One try at connecting WhatsApp, from the click to the connected numbers: the funnel's record. */
@Schema({ collection: 'onboarding_attempts' })
export class OnboardingAttempt {
  @Prop({ type: Types.ObjectId, required: true }) accountId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, default: null }) userId!: Types.ObjectId | null;
  @Prop({ type: String, default: null }) startedByName!: string | null;
  @Prop({ type: String, required: true }) flow!: OnboardingAttemptFlow;
  @Prop({ type: String, required: true }) status!: OnboardingAttemptStatus;
  @Prop({ type: String, required: true }) reachedStep!: OnboardingAttemptStep;
  @Prop({ required: true }) startedAt!: Date;
  @Prop({ required: true }) updatedAt!: Date;
  @Prop({ type: String, default: null }) cancelledAtStep!: string | null;
  @Prop({ type: AttemptErrorSchema, default: null }) error!: AttemptError | null;
  @Prop({ type: Number, default: null }) numbersOffered!: number | null;
  @Prop({ type: Number, default: null }) numbersPicked!: number | null;
  @Prop({ type: Number, default: null }) numbersConnected!: number | null;
  @Prop({ type: [AttemptFailureSchema], default: [] }) failures!: AttemptFailure[];
  @Prop({ type: Types.ObjectId, default: null }) onboardingSessionId!: Types.ObjectId | null;
}
export const OnboardingAttemptSchema = SchemaFactory.createForClass(OnboardingAttempt);
OnboardingAttemptSchema.index({ accountId: 1, startedAt: -1 });
OnboardingAttemptSchema.index({ startedAt: -1 });
