import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { OnboardingAttemptFlow } from '@waba/contracts';
import { Model, Types } from 'mongoose';
import { OnboardingAttempt } from './onboarding-attempt.schema';

export type OnboardingAttemptRecord = OnboardingAttempt & { _id: Types.ObjectId };
export type AttemptPatch = Partial<Omit<OnboardingAttempt, 'accountId' | 'userId' | 'startedByName' | 'flow' | 'startedAt' | 'onboardingSessionId'>> & { onboardingSessionId?: string };

/** What the funnel counts of each attempt. */
export type FunnelRow = Pick<OnboardingAttempt, 'accountId' | 'flow' | 'status' | 'reachedStep' | 'cancelledAtStep' | 'error'>;

@Injectable()
export class OnboardingAttemptsRepository {
  constructor(@InjectModel(OnboardingAttempt.name) private readonly attempts: Model<OnboardingAttempt>) {}

  async insert(accountId: string, attempt: { userId: string | null; startedByName: string | null; flow: OnboardingAttemptFlow; at: Date }): Promise<OnboardingAttemptRecord> {
    const created = await this.attempts.create({
      accountId: new Types.ObjectId(accountId),
      userId: attempt.userId ? new Types.ObjectId(attempt.userId) : null,
      startedByName: attempt.startedByName,
      flow: attempt.flow,
      status: 'in_progress',
      reachedStep: 'started',
      startedAt: attempt.at,
      updatedAt: attempt.at,
    });
    return created.toObject() as OnboardingAttemptRecord;
  }

  async find(accountId: string, id: string): Promise<OnboardingAttemptRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    return this.attempts.findOne({ _id: new Types.ObjectId(id), accountId: new Types.ObjectId(accountId) }).lean() as Promise<OnboardingAttemptRecord | null>;
  }

  async findBySession(accountId: string, onboardingSessionId: string): Promise<OnboardingAttemptRecord | null> {
    return this.attempts.findOne({ accountId: new Types.ObjectId(accountId), onboardingSessionId: new Types.ObjectId(onboardingSessionId) }).lean() as Promise<OnboardingAttemptRecord | null>;
  }

  async update(accountId: string, id: string, patch: AttemptPatch): Promise<OnboardingAttemptRecord | null> {
    const { onboardingSessionId, ...rest } = patch;
    const set = onboardingSessionId ? { ...rest, onboardingSessionId: new Types.ObjectId(onboardingSessionId) } : rest;
    return this.attempts.findOneAndUpdate({ _id: new Types.ObjectId(id), accountId: new Types.ObjectId(accountId) }, { $set: set }, { new: true }).lean() as Promise<OnboardingAttemptRecord | null>;
  }

  async list(accountId: string, limit: number): Promise<OnboardingAttemptRecord[]> {
    return this.attempts
      .find({ accountId: new Types.ObjectId(accountId) })
      .sort({ startedAt: -1, _id: -1 })
      .limit(limit)
      .lean() as Promise<OnboardingAttemptRecord[]>;
  }

  /** Every workspace's attempts started in [from, to), only the fields the funnel counts. */
  async startedBetween(from: Date, to: Date): Promise<FunnelRow[]> {
    return this.attempts.find({ startedAt: { $gte: from, $lt: to } }, { accountId: 1, flow: 1, status: 1, reachedStep: 1, cancelledAtStep: 1, error: 1 }).lean();
  }

  async deleteStartedBefore(cutoff: Date): Promise<number> {
    return (await this.attempts.deleteMany({ startedAt: { $lt: cutoff } })).deletedCount;
  }
}
