import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { ConnectionSource } from '@waba/contracts';
import { Types } from 'mongoose';
import { MetaNumberFacts } from '../phone-numbers/number-facts.schema';

/** A redirect-flow `state`: stored hashed, bound to tenant and user, short-lived, single-use. */
@Schema({ collection: 'oauth_states' })
export class OAuthState {
  @Prop({ type: String, required: true, unique: true }) stateHash!: string;
  @Prop({ type: Types.ObjectId, required: true }) accountId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) userId!: Types.ObjectId;
  @Prop({ required: true }) expiresAt!: Date;
  @Prop({ type: Date, default: null }) usedAt!: Date | null;
  /** The onboarding attempt this redirect began (the funnel's record). */
  @Prop({ type: Types.ObjectId, default: null }) attemptId!: Types.ObjectId | null;
}
export const OAuthStateSchema = SchemaFactory.createForClass(OAuthState);

/** Hashes of authorization codes already presented, so a replay is refused before Meta is asked. */
@Schema({ collection: 'oauth_codes' })
export class UsedAuthorizationCode {
  @Prop({ type: String, required: true, unique: true }) codeHash!: string;
  @Prop({ type: Types.ObjectId, required: true }) accountId!: Types.ObjectId;
  @Prop({ required: true }) usedAt!: Date;
}
export const UsedAuthorizationCodeSchema = SchemaFactory.createForClass(UsedAuthorizationCode);

/** A WABA found by discovery (numbers are kept flat beside it: FerretDB has no nested arrays). */
@Schema({ _id: false })
export class DiscoveredWaba {
  @Prop({ type: String, required: true }) wabaId!: string;
  @Prop({ type: String, default: null }) name!: string | null;
  @Prop({ type: String, default: null }) ownerBusinessId!: string | null;
  @Prop({ type: String, default: null }) ownerBusinessName!: string | null;
}
const DiscoveredWabaSchema = SchemaFactory.createForClass(DiscoveredWaba);

@Schema({ _id: false })
export class DiscoveredNumber extends MetaNumberFacts {
  @Prop({ type: String, required: true }) phoneNumberId!: string;
  @Prop({ type: String, required: true }) wabaId!: string;
  @Prop({ type: Date, default: null }) lastOnboardedAt!: Date | null;
  @Prop({ type: String, default: null }) outcomeState!: string | null;
  @Prop({ type: String, default: null }) outcomeMessage!: string | null;
}
const DiscoveredNumberSchema = SchemaFactory.createForClass(DiscoveredNumber);

/** What one consent discovered, waiting for the tenant's pick. */
@Schema({ collection: 'onboarding_sessions', timestamps: true })
export class OnboardingSession {
  @Prop({ type: Types.ObjectId, required: true, index: true }) accountId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) userId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) connectionId!: Types.ObjectId;
  @Prop({ type: String, required: true }) source!: ConnectionSource;
  @Prop({ type: String, required: true, default: 'pending' }) status!: 'pending' | 'partial' | 'completed';
  @Prop({ required: true }) expiresAt!: Date;
  @Prop({ type: [DiscoveredWabaSchema], default: [] }) wabas!: DiscoveredWaba[];
  @Prop({ type: [DiscoveredNumberSchema], default: [] }) numbers!: DiscoveredNumber[];
  /** The number whose Reconnect started this consent, when one did. */
  @Prop({ type: String, default: null }) reconnectPhoneNumberId!: string | null;
}
export const OnboardingSessionSchema = SchemaFactory.createForClass(OnboardingSession);
