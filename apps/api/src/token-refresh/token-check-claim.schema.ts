import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/**
 * Who checks one credential for one due time. `_id` is `<connectionId>@<dueAt ms>#<generation>`:
 * the unique `_id` makes the claim an insert that exactly one instance wins. (FerretDB v1 does not
 * isolate a `findOneAndUpdate` filter from its write, so two instances could both "claim" the
 * same document that way; a duplicate key is refused reliably.) A crashed holder's claim expires
 * at `claimUntil`, and while the credential is still due for `dueAt`, the next generation is
 * inserted to take over. A finished check moves `nextCheckAt` on, so its claim is never taken over.
 */
@Schema({ collection: 'token_check_claims', timestamps: false, versionKey: false })
export class TokenCheckClaim {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: Types.ObjectId, required: true })
  connectionId!: Types.ObjectId;

  @Prop({ type: Date, required: true })
  dueAt!: Date;

  @Prop({ type: Number, required: true })
  generation!: number;

  @Prop({ type: String, required: true })
  instanceId!: string;

  @Prop({ type: Date, required: true })
  claimedAt!: Date;

  @Prop({ type: Date, required: true })
  claimUntil!: Date;
}

export const TokenCheckClaimSchema = SchemaFactory.createForClass(TokenCheckClaim);
TokenCheckClaimSchema.index({ claimUntil: 1 });
