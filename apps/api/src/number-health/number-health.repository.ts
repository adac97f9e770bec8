import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { NumberHealth } from './number-health.schema';

export type NumberHealthRecord = Omit<NumberHealth, 'accountId'> & { accountId: string };

/** The only code that touches the number_health collection. */
@Injectable()
export class NumberHealthRepository {
  constructor(@InjectModel(NumberHealth.name) private readonly health: Model<NumberHealth>) {}

  async list(accountId: string, wabaId?: string): Promise<NumberHealthRecord[]> {
    const found = await this.health
      .find({ accountId: new Types.ObjectId(accountId), ...(wabaId && { wabaId }) })
      .sort({ wabaId: 1, displayPhone: 1 })
      .lean();
    return found.map(toRecord);
  }

  /** Stores a number's new verdict; returns the one it replaces (null the first time). */
  async replace(accountId: string, record: Omit<NumberHealthRecord, 'accountId'>): Promise<NumberHealthRecord | null> {
    const previous = await this.health.findOneAndUpdate(
      { accountId: new Types.ObjectId(accountId), phoneNumberId: record.phoneNumberId },
      { $set: { ...record, accountId: new Types.ObjectId(accountId) } },
      { upsert: true, new: false },
    );
    return previous ? toRecord(previous.toObject()) : null;
  }

  /** Numbers no longer connected keep no verdict. */
  async removeExcept(accountId: string, wabaId: string, keepPhoneNumberIds: string[]): Promise<void> {
    await this.health.deleteMany({ accountId: new Types.ObjectId(accountId), wabaId, phoneNumberId: { $nin: keepPhoneNumberIds } });
  }
}

function toRecord(doc: NumberHealth): NumberHealthRecord {
  return {
    accountId: String(doc.accountId),
    phoneNumberId: doc.phoneNumberId,
    wabaId: doc.wabaId,
    displayPhone: doc.displayPhone,
    verdict: doc.verdict,
    summary: doc.summary,
    checks: doc.checks,
    checkedAt: doc.checkedAt,
  };
}
