import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { isDuplicateKey } from '../common/errors/all-exceptions.filter';
import { OAuthState, OnboardingSession, UsedAuthorizationCode, type DiscoveredNumber, type DiscoveredWaba } from './oauth-records.schema';

export type OnboardingSessionRecord = OnboardingSession & { _id: Types.ObjectId };
export type StateRecord = OAuthState & { _id: Types.ObjectId };

/** The only code that touches OAuth states, used codes and onboarding sessions. */
@Injectable()
export class OAuthRepository {
  constructor(
    @InjectModel(OAuthState.name) private readonly states: Model<OAuthState>,
    @InjectModel(UsedAuthorizationCode.name) private readonly codes: Model<UsedAuthorizationCode>,
    @InjectModel(OnboardingSession.name) private readonly sessions: Model<OnboardingSession>,
  ) {}

  async insertState(accountId: string, userId: string, stateHash: string, expiresAt: Date, attemptId: string | null): Promise<void> {
    await this.states.create({ stateHash, accountId: new Types.ObjectId(accountId), userId: new Types.ObjectId(userId), expiresAt, attemptId: attemptId ? new Types.ObjectId(attemptId) : null });
  }

  /** Atomically marks a live state of this tenant and user used; null when it is not (any more). */
  consumeState(accountId: string, userId: string, stateHash: string, now: Date): Promise<StateRecord | null> {
    return this.states
      .findOneAndUpdate({ stateHash, accountId: new Types.ObjectId(accountId), userId: new Types.ObjectId(userId), usedAt: null, expiresAt: { $gt: now } }, { $set: { usedAt: now } }, { new: true })
      .lean();
  }

  findState(stateHash: string): Promise<StateRecord | null> {
    return this.states.findOne({ stateHash }).lean();
  }

  /** False when the code was presented before. */
  async recordCodeUse(accountId: string, codeHash: string, now: Date): Promise<boolean> {
    try {
      await this.codes.create({ codeHash, accountId: new Types.ObjectId(accountId), usedAt: now });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async insertSession(
    accountId: string,
    session: {
      userId: string;
      connectionId: string;
      source: OnboardingSession['source'];
      expiresAt: Date;
      wabas: DiscoveredWaba[];
      numbers: DiscoveredNumber[];
      reconnectPhoneNumberId: string | null;
    },
  ): Promise<OnboardingSessionRecord> {
    const created = await this.sessions.create({
      ...session,
      accountId: new Types.ObjectId(accountId),
      userId: new Types.ObjectId(session.userId),
      connectionId: new Types.ObjectId(session.connectionId),
    });
    return created.toObject() as OnboardingSessionRecord;
  }

  findSession(accountId: string, sessionId: string): Promise<OnboardingSessionRecord | null> {
    if (!Types.ObjectId.isValid(sessionId)) return Promise.resolve(null);
    return this.sessions.findOne({ _id: new Types.ObjectId(sessionId), accountId: new Types.ObjectId(accountId) }).lean() as Promise<OnboardingSessionRecord | null>;
  }

  /** Consents still waiting for the tenant's pick, soonest to expire first. */
  listOpenSessions(accountId: string, now: Date, limit: number): Promise<OnboardingSessionRecord[]> {
    return this.sessions
      .find({ accountId: new Types.ObjectId(accountId), status: 'pending', expiresAt: { $gt: now } })
      .sort({ expiresAt: 1 })
      .limit(limit)
      .lean() as Promise<OnboardingSessionRecord[]>;
  }

  async saveOutcomes(accountId: string, sessionId: string, numbers: DiscoveredNumber[], status: OnboardingSession['status']): Promise<OnboardingSessionRecord | null> {
    return this.sessions
      .findOneAndUpdate({ _id: new Types.ObjectId(sessionId), accountId: new Types.ObjectId(accountId) }, { $set: { numbers, status } }, { new: true })
      .lean() as Promise<OnboardingSessionRecord | null>;
  }

  /** Retention in place of TTL indexes (FerretDB has none): what each collection no longer needs. */
  async deleteOutdated(cutoffs: { statesExpiredBy: Date; codesUsedBefore: Date; sessionsExpiredBefore: Date }): Promise<{ states: number; codes: number; onboardingSessions: number }> {
    const [states, codes, sessions] = await Promise.all([
      this.states.deleteMany({ expiresAt: { $lte: cutoffs.statesExpiredBy } }),
      this.codes.deleteMany({ usedAt: { $lt: cutoffs.codesUsedBefore } }),
      this.sessions.deleteMany({ expiresAt: { $lt: cutoffs.sessionsExpiredBefore } }),
    ]);
    return { states: states.deletedCount, codes: codes.deletedCount, onboardingSessions: sessions.deletedCount };
  }
}
