import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { UserRole } from '@waba/contracts';
import { Types } from 'mongoose';

/**
 * An owner's invitation to join their tenant. Only the SHA-256 of the link's token is stored. Used,
 * revoked and expired invitations are kept so their link can say why it no longer works; expiry is
 * checked in queries (no TTL index on FerretDB).
 */
@Schema({ collection: 'invitations', timestamps: true })
export class Invitation {
  @Prop({ type: Types.ObjectId, required: true, index: true })
  accountId!: Types.ObjectId;

  @Prop({ type: String, required: true, lowercase: true, trim: true })
  email!: string;

  @Prop({ type: String, required: true, enum: Object.values(UserRole) })
  role!: UserRole;

  @Prop({ type: String, required: true, unique: true })
  tokenHash!: string;

  @Prop({ type: Types.ObjectId, required: true })
  invitedBy!: Types.ObjectId;

  @Prop({ type: String, required: true })
  invitedByName!: string;

  @Prop({ required: true })
  expiresAt!: Date;

  @Prop({ type: Date, default: null })
  usedAt!: Date | null;

  @Prop({ type: Date, default: null })
  revokedAt!: Date | null;

  createdAt!: Date;
}

export const InvitationSchema = SchemaFactory.createForClass(Invitation);
