import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AuditEntryView } from '@waba/contracts';
import { Model, Types } from 'mongoose';
import { AuditEntry } from './audit-entry.schema';

@Injectable()
export class AuditRepository {
  constructor(@InjectModel(AuditEntry.name) private readonly entries: Model<AuditEntry>) {}

  async insert(accountId: string, entry: { userId: string | null; actorName: string | null; action: string; target: string; details: string | null; at: Date }): Promise<void> {
    await this.entries.create({ ...entry, accountId: new Types.ObjectId(accountId), userId: entry.userId ? new Types.ObjectId(entry.userId) : null });
  }

  async list(accountId: string, limit: number, offset = 0): Promise<AuditEntryView[]> {
    const found = await this.entries
      .find({ accountId: new Types.ObjectId(accountId) })
      .sort({ at: -1, _id: -1 })
      .skip(offset)
      .limit(limit)
      .lean();
    return found.map((e) => ({ id: String(e._id), at: e.at.toISOString(), actorName: e.actorName, action: e.action, target: e.target, details: e.details }));
  }
}
