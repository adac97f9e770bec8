import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/**
 * Operator rights of one user (the cross-tenant views), written only by the operator command and
 * looked up on every request, so a revocation applies to the next request.
 */
@Schema({ collection: 'operator_grants', timestamps: true })
export class OperatorGrant {
  @Prop({ type: Types.ObjectId, required: true, unique: true })
  userId!: Types.ObjectId;

  /** The email when granted, for listings; the grant follows the user id, not the address. */
  @Prop({ type: String, required: true })
  email!: string;

  createdAt!: Date;
}

export const OperatorGrantSchema = SchemaFactory.createForClass(OperatorGrant);
