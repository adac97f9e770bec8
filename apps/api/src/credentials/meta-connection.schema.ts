import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { ConnectionSource, ConnectionStatus } from '@waba/contracts';
import { Types } from 'mongoose';

/**
 * One Meta credential granted to a tenant (a consent, or a token pasted by hand). The token is
 * stored only encrypted; `tokenFingerprint` (SHA-256) finds the same credential again.
 */
@Schema({ collection: 'meta_connections', timestamps: true })
export class MetaConnection {
  @Prop({ type: Types.ObjectId, required: true })
  accountId!: Types.ObjectId;

  @Prop({ type: String, required: true })
  tokenFingerprint!: string;

  @Prop({ type: String, required: true })
  encryptedToken!: string;

  @Prop({ type: String, required: true })
  source!: ConnectionSource;

  @Prop({ type: String, default: null })
  tokenType!: string | null;

  @Prop({ type: [String], default: [] })
  scopes!: string[];

  @Prop({ type: [String], default: [] })
  grantedWabaIds!: string[];

  @Prop({ type: String, default: null })
  metaUserId!: string | null;

  /** null: never expires. */
  @Prop({ type: Date, default: null })
  expiresAt!: Date | null;

  @Prop({ type: Date, default: null })
  dataAccessExpiresAt!: Date | null;

  @Prop({ type: String, required: true, default: 'active' })
  status!: ConnectionStatus;

  @Prop({ type: Date, default: null })
  lastCheckedAt!: Date | null;

  @Prop({ type: String, default: null })
  lastError!: string | null;

  /** When the token check is due next; null for credentials it no longer checks (needs_reauth, revoked). */
  @Prop({ type: Date, default: null })
  nextCheckAt!: Date | null;

  /** Failed checks in a row (timeouts, 5xx): they space out the retries and never change `status`. */
  @Prop({ type: Number, default: 0 })
  checkFailures!: number;

  @Prop({ type: String, default: null })
  lastCheckFailure!: string | null;

  @Prop({ type: Types.ObjectId, default: null })
  createdBy!: Types.ObjectId | null;
}

export const MetaConnectionSchema = SchemaFactory.createForClass(MetaConnection);
MetaConnectionSchema.index({ accountId: 1, tokenFingerprint: 1 }, { unique: true });
// The token check reads the earliest due credentials (claims live in token_check_claims).
MetaConnectionSchema.index({ nextCheckAt: 1 });
