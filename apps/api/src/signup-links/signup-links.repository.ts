import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { SignupLinkStep } from '@waba/contracts';
import { Model, Types } from 'mongoose';
import { isDuplicateKey } from '../common/errors/all-exceptions.filter';
import { SignupLink, SignupLinkClaim } from './signup-link.schema';

export interface SignupLinkProgressRecord {
  step: SignupLinkStep;
  at: Date;
  detail: string | null;
}

export interface SignupLinkRecord {
  id: string;
  accountId: string;
  createdBy: string;
  createdByName: string;
  note: string | null;
  holderPicks: boolean;
  createdAt: Date;
  expiresAt: Date;
  openedAt: Date | null;
  usedAt: Date | null;
  revokedAt: Date | null;
  onboardingSessionId: string | null;
  attemptId: string | null;
  cancelledAtStep: string | null;
  lastError: { message: string; code: string | null; metaSessionId: string | null } | null;
  progress: SignupLinkProgressRecord[];
}

/** What a progress report changes besides adding the step to the history. */
export type SignupLinkChanges = Partial<Pick<SignupLinkRecord, 'openedAt' | 'cancelledAtStep' | 'lastError' | 'onboardingSessionId' | 'attemptId'>>;

/** Most steps a link keeps: a holder who cancels again and again cannot grow the document without end. */
const PROGRESS_KEPT = 50;

/** The only code that touches the signup_links collection. */
@Injectable()
export class SignupLinksRepository {
  constructor(
    @InjectModel(SignupLink.name) private readonly links: Model<SignupLink>,
    @InjectModel(SignupLinkClaim.name) private readonly claims: Model<SignupLinkClaim>,
  ) {}

  async create(
    link: Pick<SignupLinkRecord, 'accountId' | 'createdBy' | 'createdByName' | 'note' | 'holderPicks' | 'expiresAt'> & { tokenHash: string; progress: SignupLinkProgressRecord[] },
  ): Promise<SignupLinkRecord> {
    const created = await this.links.create({ ...link, accountId: new Types.ObjectId(link.accountId), createdBy: new Types.ObjectId(link.createdBy) });
    return toRecord(created.toObject());
  }

  async findByTokenHash(tokenHash: string): Promise<SignupLinkRecord | null> {
    const found = await this.links.findOne({ tokenHash }).lean();
    return found ? toRecord(found) : null;
  }

  async findInAccount(accountId: string, id: string): Promise<SignupLinkRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const found = await this.links.findOne({ _id: new Types.ObjectId(id), accountId: new Types.ObjectId(accountId) }).lean();
    return found ? toRecord(found) : null;
  }

  async list(accountId: string, limit: number): Promise<SignupLinkRecord[]> {
    const found = await this.links
      .find({ accountId: new Types.ObjectId(accountId) })
      .sort({ createdAt: -1 })
      .limit(limit)
      .lean();
    return found.map(toRecord);
  }

  /** Adds one step to the history (and sets `changes`); the updated link. */
  async addProgress(id: string, entry: SignupLinkProgressRecord, changes: SignupLinkChanges = {}): Promise<SignupLinkRecord | null> {
    const updated = await this.links
      .findOneAndUpdate({ _id: new Types.ObjectId(id), [`progress.${PROGRESS_KEPT - 1}`]: { $exists: false } }, { $set: changes, $push: { progress: entry } }, { new: true })
      .lean();
    if (!updated) {
      // A full history keeps its first steps; the link's own fields still change.
      const changed = await this.links.findByIdAndUpdate(id, { $set: changes }, { new: true }).lean();
      return changed ? toRecord(changed) : null;
    }
    return toRecord(updated);
  }

  /** Sets `openedAt` the first time only; null when it was already set. */
  async markOpened(id: string, entry: SignupLinkProgressRecord): Promise<SignupLinkRecord | null> {
    const updated = await this.links.findOneAndUpdate({ _id: new Types.ObjectId(id), openedAt: null }, { $set: { openedAt: entry.at }, $push: { progress: entry } }, { new: true }).lean();
    return updated ? toRecord(updated) : null;
  }

  /**
   * Marks a live, unused link used, so two windows finishing with the same link cannot both
   * exchange a code (no transactions on FerretDB). The claim document's unique `_id` decides who
   * wins a race; the link's `usedAt` then says so. Null when the link was not live, or lost the race.
   */
  async claim(tokenHash: string, now: Date): Promise<SignupLinkRecord | null> {
    const live = await this.links.findOne({ tokenHash, usedAt: null, revokedAt: null, expiresAt: { $gt: now } }).lean();
    if (!live) return null;
    try {
      await this.claims.create({ _id: live._id, claimedAt: now });
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
    const claimed = await this.links.findOneAndUpdate({ _id: live._id, revokedAt: null }, { $set: { usedAt: now } }, { new: true }).lean();
    if (!claimed) await this.claims.deleteOne({ _id: live._id });
    return claimed ? toRecord(claimed) : null;
  }

  /** Undoes a claim whose code exchange failed, so the holder can try again. */
  async release(id: string): Promise<void> {
    const _id = new Types.ObjectId(id);
    await this.links.updateOne({ _id, onboardingSessionId: null }, { $set: { usedAt: null } });
    await this.claims.deleteOne({ _id });
  }

  /** Revokes a link that was not used; null when it was used or revoked already. */
  async revoke(accountId: string, id: string, entry: SignupLinkProgressRecord): Promise<SignupLinkRecord | null> {
    const updated = await this.links
      .findOneAndUpdate(
        { _id: new Types.ObjectId(id), accountId: new Types.ObjectId(accountId), usedAt: null, revokedAt: null },
        { $set: { revokedAt: entry.at }, $push: { progress: entry } },
        { new: true },
      )
      .lean();
    return updated ? toRecord(updated) : null;
  }

  /** Links that stopped working a while ago go: used, revoked or expired before `before`. */
  async deleteOutdated(before: Date): Promise<number> {
    const outdated = await this.links.find({ expiresAt: { $lt: before } }, { _id: 1 }).lean();
    const ids = outdated.map((link) => link._id);
    if (ids.length === 0) return 0;
    await this.claims.deleteMany({ _id: { $in: ids } });
    const result = await this.links.deleteMany({ _id: { $in: ids } });
    return result.deletedCount;
  }
}

function toRecord(doc: SignupLink & { _id: Types.ObjectId }): SignupLinkRecord {
  return {
    id: String(doc._id),
    accountId: String(doc.accountId),
    createdBy: String(doc.createdBy),
    createdByName: doc.createdByName,
    note: doc.note ?? null,
    holderPicks: doc.holderPicks,
    createdAt: doc.createdAt,
    expiresAt: doc.expiresAt,
    openedAt: doc.openedAt ?? null,
    usedAt: doc.usedAt ?? null,
    revokedAt: doc.revokedAt ?? null,
    onboardingSessionId: doc.onboardingSessionId ?? null,
    attemptId: doc.attemptId ?? null,
    cancelledAtStep: doc.cancelledAtStep ?? null,
    lastError: doc.lastError ? { message: doc.lastError.message, code: doc.lastError.code ?? null, metaSessionId: doc.lastError.metaSessionId ?? null } : null,
    progress: (doc.progress ?? []).map((p) => ({ step: p.step, at: p.at, detail: p.detail ?? null })),
  };
}
