import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { HydratedDocument } from 'mongoose';

/** A tenant: one business using WABA Connect. */
@Schema({ collection: 'accounts', timestamps: true })
export class Account {
  @Prop({ type: String, required: true, trim: true })
  name!: string;

  createdAt!: Date;
}

export type AccountDocument = HydratedDocument<Account>;
export const AccountSchema = SchemaFactory.createForClass(Account);
