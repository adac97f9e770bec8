import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** A tenant: one business using WABA Connect. */
@Schema({ collection: 'accounts', timestamps: true })
export class Account {
  @Prop({ type: String, required: true, trim: true })
  name!: string;

  createdAt!: Date;
}

export const AccountSchema = SchemaFactory.createForClass(Account);
