import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { UserRole } from '@waba/contracts';
import { Model, Types } from 'mongoose';
import { Invitation } from './invitation.schema';

export interface InvitationRecord {
  id: string;
  accountId: string;
  email: string;
  role: UserRole;
  invitedBy: string;
  invitedByName: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

/** The only code that touches the invitations collection. */
@Injectable()
export class InvitationsRepository {
  constructor(@InjectModel(Invitation.name) private readonly invitations: Model<Invitation>) {}

  async create(invitation: Pick<InvitationRecord, 'accountId' | 'email' | 'role' | 'invitedBy' | 'invitedByName' | 'expiresAt'> & { tokenHash: string }): Promise<InvitationRecord> {
    const created = await this.invitations.create({
      ...invitation,
      accountId: new Types.ObjectId(invitation.accountId),
      invitedBy: new Types.ObjectId(invitation.invitedBy),
    });
    return toInvitation(created.toObject());
  }

  async findByTokenHash(tokenHash: string): Promise<InvitationRecord | null> {
    const found = await this.invitations.findOne({ tokenHash }).lean();
    return found ? toInvitation(found) : null;
  }

  async findInAccount(accountId: string, id: string): Promise<InvitationRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const found = await this.invitations.findOne({ _id: new Types.ObjectId(id), accountId: new Types.ObjectId(accountId) }).lean();
    return found ? toInvitation(found) : null;
  }

  async listPending(accountId: string, now: Date): Promise<InvitationRecord[]> {
    const found = await this.invitations
      .find({ accountId: new Types.ObjectId(accountId), usedAt: null, revokedAt: null, expiresAt: { $gt: now } })
      .sort({ createdAt: 1 })
      .lean();
    return found.map(toInvitation);
  }

  /** Withdraws pending invitations: one by id, or every one for an email (a new invitation replaces them). */
  async revokePending(accountId: string, by: { id: string } | { email: string }, now: Date): Promise<number> {
    const which = 'id' in by ? { _id: new Types.ObjectId(by.id) } : { email: by.email.trim().toLowerCase() };
    const result = await this.invitations.updateMany({ ...which, accountId: new Types.ObjectId(accountId), usedAt: null, revokedAt: null }, { $set: { revokedAt: now } });
    return result.modifiedCount;
  }

  /**
   * Marks a pending, unexpired invitation used, in one conditional write, so two tabs accepting
   * the same link cannot both succeed (no transactions on FerretDB). Null when it was not pending.
   */
  async claim(tokenHash: string, now: Date): Promise<InvitationRecord | null> {
    const claimed = await this.invitations.findOneAndUpdate({ tokenHash, usedAt: null, revokedAt: null, expiresAt: { $gt: now } }, { $set: { usedAt: now } }, { new: true }).lean();
    return claimed ? toInvitation(claimed) : null;
  }

  /** Undoes a claim whose user could not be created, so the link keeps working. */
  async release(id: string): Promise<void> {
    await this.invitations.updateOne({ _id: new Types.ObjectId(id) }, { $set: { usedAt: null } });
  }
}

function toInvitation(doc: Invitation & { _id: Types.ObjectId }): InvitationRecord {
  return {
    id: String(doc._id),
    accountId: String(doc.accountId),
    email: doc.email,
    role: doc.role,
    invitedBy: String(doc.invitedBy),
    invitedByName: doc.invitedByName,
    createdAt: doc.createdAt,
    expiresAt: doc.expiresAt,
    usedAt: doc.usedAt ?? null,
    revokedAt: doc.revokedAt ?? null,
  };
}
