import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { OperatorGrant } from './operator-grant.schema';

export interface OperatorGrantRecord {
  userId: string;
  email: string;
  grantedAt: Date;
}

/** The only code that touches the operator_grants collection. */
@Injectable()
export class OperatorGrantsRepository {
  constructor(@InjectModel(OperatorGrant.name) private readonly grants: Model<OperatorGrant>) {}

  /** True when the grant was new. */
  async grant(userId: string, email: string): Promise<boolean> {
    const result = await this.grants.updateOne({ userId: new Types.ObjectId(userId) }, { $setOnInsert: { email } }, { upsert: true });
    return result.upsertedCount > 0;
  }

  /** True when there was a grant to revoke. */
  async revoke(userId: string): Promise<boolean> {
    return (await this.grants.deleteOne({ userId: new Types.ObjectId(userId) })).deletedCount > 0;
  }

  async isOperator(userId: string): Promise<boolean> {
    return (await this.grants.exists({ userId: new Types.ObjectId(userId) })) !== null;
  }

  async list(): Promise<OperatorGrantRecord[]> {
    const found = await this.grants.find().sort({ createdAt: 1 }).lean();
    return found.map((g) => ({ userId: String(g.userId), email: g.email, grantedAt: g.createdAt }));
  }
}
