import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { DisplayNameRequestStatus } from '@waba/contracts';
import { Model, Types } from 'mongoose';
import { DisplayNameRequest, PinChange } from './number-settings.schema';

export type DisplayNameRequestRecord = DisplayNameRequest & { _id: Types.ObjectId };

/** The only code that touches display_name_requests and pin_changes. */
@Injectable()
export class NumberSettingsRepository {
  constructor(
    @InjectModel(DisplayNameRequest.name) private readonly names: Model<DisplayNameRequest>,
    @InjectModel(PinChange.name) private readonly pins: Model<PinChange>,
  ) {}

  async addNameRequest(accountId: string, request: Omit<DisplayNameRequest, 'accountId'>): Promise<DisplayNameRequestRecord> {
    const created = await this.names.create({ ...request, accountId: new Types.ObjectId(accountId) });
    return created.toObject() as DisplayNameRequestRecord;
  }

  /** Newest first. */
  listNameRequests(accountId: string, phoneNumberId: string, limit = 20): Promise<DisplayNameRequestRecord[]> {
    return this.names
      .find({ accountId: new Types.ObjectId(accountId), phoneNumberId })
      .sort({ requestedAt: -1, _id: -1 })
      .limit(limit)
      .lean<DisplayNameRequestRecord[]>();
  }

  countNameRequestsSince(accountId: string, phoneNumberId: string, since: Date): Promise<number> {
    return this.names.countDocuments({ accountId: new Types.ObjectId(accountId), phoneNumberId, requestedAt: { $gte: since } });
  }

  /** The newest request of the number still in one of `statuses` and (when given) for that name. */
  latestNameRequestIn(accountId: string, phoneNumberId: string, statuses: DisplayNameRequestStatus[], name?: string): Promise<DisplayNameRequestRecord | null> {
    return this.names
      .findOne({ accountId: new Types.ObjectId(accountId), phoneNumberId, status: { $in: statuses }, ...(name !== undefined && { requestedName: name }) })
      .sort({ requestedAt: -1, _id: -1 })
      .lean<DisplayNameRequestRecord | null>();
  }

  async updateNameRequest(accountId: string, id: Types.ObjectId, patch: Partial<Pick<DisplayNameRequest, 'status' | 'rejectionReason' | 'decidedAt' | 'appliedAt'>>): Promise<void> {
    await this.names.updateOne({ _id: id, accountId: new Types.ObjectId(accountId) }, { $set: patch });
  }

  async addPinChange(accountId: string, phoneNumberId: string, at: Date): Promise<void> {
    await this.pins.create({ accountId: new Types.ObjectId(accountId), phoneNumberId, at });
  }

  async lastPinChange(accountId: string, phoneNumberId: string): Promise<Date | null> {
    const last = await this.pins
      .findOne({ accountId: new Types.ObjectId(accountId), phoneNumberId })
      .sort({ at: -1 })
      .lean<PinChange | null>();
    return last?.at ?? null;
  }
}
