import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { UserRole } from '@waba/contracts';
import { Types, type HydratedDocument } from 'mongoose';

/** An admin user of one tenant. Emails are unique across all tenants (they log in by email). */
@Schema({ collection: 'users', timestamps: true })
export class User {
  @Prop({ type: Types.ObjectId, required: true, index: true })
  accountId!: Types.ObjectId;

  @Prop({ required: true, trim: true })
  name!: string;

  @Prop({ required: true, lowercase: true, trim: true, unique: true })
  email!: string;

  @Prop({ required: true })
  passwordHash!: string;

  @Prop({ required: true, enum: Object.values(UserRole) })
  role!: UserRole;

  createdAt!: Date;
}

export type UserDocument = HydratedDocument<User>;
export const UserSchema = SchemaFactory.createForClass(User);
