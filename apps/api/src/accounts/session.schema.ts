import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { UserRole } from '@waba/contracts';
import { Types } from 'mongoose';

/**
 * A signed-in browser. Only hashes of the cookie token and of the CSRF token are stored, so a
 * database leak does not hand out sessions. Expiry is checked in queries (no TTL index on FerretDB).
 */
@Schema({ collection: 'sessions', timestamps: true })
export class Session {
  @Prop({ type: String, required: true, unique: true })
  tokenHash!: string;

  @Prop({ type: String, required: true })
  csrfHash!: string;

  @Prop({ type: Types.ObjectId, required: true, index: true })
  userId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  accountId!: Types.ObjectId;

  @Prop({ type: String, required: true, enum: Object.values(UserRole) })
  role!: UserRole;

  @Prop({ required: true, index: true })
  expiresAt!: Date;

  /** The user's name when the session began, so the audit log names who acted without a lookup. */
  @Prop({ type: String, default: null })
  userName!: string | null;
}

export const SessionSchema = SchemaFactory.createForClass(Session);
