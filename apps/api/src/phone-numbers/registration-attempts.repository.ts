import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { RegistrationAttempt } from './registration-attempt.schema';

export type RegistrationAttemptRecord = RegistrationAttempt & { _id: Types.ObjectId };

/** The only code that touches registration_attempts. */
@Injectable()
export class RegistrationAttemptsRepository {
  constructor(@InjectModel(RegistrationAttempt.name) private readonly attempts: Model<RegistrationAttempt>) {}

  async addAttempt(accountId: string, attempt: Omit<RegistrationAttempt, 'accountId'>): Promise<void> {
    await this.attempts.create({ ...attempt, accountId: new Types.ObjectId(accountId) });
  }

  /** Oldest first. */
  attemptsSince(accountId: string, phoneNumberId: string, since: Date): Promise<RegistrationAttemptRecord[]> {
    return this.attempts
      .find({ accountId: new Types.ObjectId(accountId), phoneNumberId, at: { $gte: since } })
      .sort({ at: 1 })
      .lean<RegistrationAttemptRecord[]>();
  }
}
