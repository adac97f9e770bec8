import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { SignupLinkStep } from '@waba/contracts';
import { Types } from 'mongoose';

/** One step of a link's history (opened, consent started, cancelled at which step, failed with what...). */
@Schema({ _id: false })
export class SignupLinkProgress {
  @Prop({ type: String, required: true })
  step!: SignupLinkStep;

  @Prop({ required: true })
  at!: Date;

  @Prop({ type: String, default: null })
  detail!: string | null;
}

@Schema({ _id: false })
export class SignupLinkError {
  @Prop({ type: String, required: true })
  message!: string;

  @Prop({ type: String, default: null })
  code!: string | null;

  @Prop({ type: String, default: null })
  metaSessionId!: string | null;
}

/**
 * An admin's signup link: its holder runs Embedded Signup for the tenant without an account. Only
 * the SHA-256 of the token is stored. Used, revoked and expired links are kept so the link can say
 * why it no longer works; expiry is checked in queries (no TTL index on FerretDB).
 */
@Schema({ collection: 'signup_links', timestamps: true })
export class SignupLink {
  @Prop({ type: Types.ObjectId, required: true, index: true })
  accountId!: Types.ObjectId;

  @Prop({ type: String, required: true, unique: true })
  tokenHash!: string;

  @Prop({ type: Types.ObjectId, required: true })
  createdBy!: Types.ObjectId;

  @Prop({ type: String, required: true })
  createdByName!: string;

  @Prop({ type: String, default: null })
  note!: string | null;

  @Prop({ type: Boolean, required: true })
  holderPicks!: boolean;

  @Prop({ required: true })
  expiresAt!: Date;

  @Prop({ type: Date, default: null })
  openedAt!: Date | null;

  /** Set when the holder's code exchange starts (single use); cleared again when it fails. */
  @Prop({ type: Date, default: null })
  usedAt!: Date | null;

  @Prop({ type: Date, default: null })
  revokedAt!: Date | null;

  @Prop({ type: String, default: null })
  onboardingSessionId!: string | null;

  /** The onboarding attempt (the funnel's record) of the holder's latest try. */
  @Prop({ type: String, default: null })
  attemptId!: string | null;

  @Prop({ type: String, default: null })
  cancelledAtStep!: string | null;

  @Prop({ type: SignupLinkError, default: null })
  lastError!: SignupLinkError | null;

  @Prop({ type: [SignupLinkProgress], default: [] })
  progress!: SignupLinkProgress[];

  createdAt!: Date;
}

export const SignupLinkSchema = SchemaFactory.createForClass(SignupLink);

/**
 * The one claim of a link while its code is exchanged, keyed by the link's id: FerretDB can let two
 * conditional updates of one document both succeed, but never two documents with one `_id`.
 */
@Schema({ collection: 'signup_link_claims' })
export class SignupLinkClaim {
  @Prop({ type: Types.ObjectId, required: true })
  _id!: Types.ObjectId;

  @Prop({ required: true })
  claimedAt!: Date;
}

export const SignupLinkClaimSchema = SchemaFactory.createForClass(SignupLinkClaim);
