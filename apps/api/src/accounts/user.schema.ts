import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { UserRole } from '@waba/contracts';
import { Types } from 'mongoose';

/** An admin user of one tenant. Emails are unique across all tenants (they log in by email). */
@Schema({ collection: 'users', timestamps: true })
export class User {
  @Prop({ type: Types.ObjectId, required: true, index: true })
  accountId!: Types.ObjectId;

  @Prop({ type: String, required: true, trim: true })
  name!: string;

  @Prop({ type: String, required: true, lowercase: true, trim: true, unique: true })
  email!: string;

  @Prop({ type: String, required: true })
  passwordHash!: string;

  @Prop({ type: String, required: true, enum: Object.values(UserRole) })
  role!: UserRole;

  createdAt!: Date;
}

export const UserSchema = SchemaFactory.createForClass(User);
