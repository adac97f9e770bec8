import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { UserRole } from '@waba/contracts';
import { Model, Types } from 'mongoose';
import { Account } from './account.schema';
import { Session } from './session.schema';
import { User } from './user.schema';

export interface UserRecord {
  id: string;
  accountId: string;
  name: string;
  email: string;
  role: UserRole;
  passwordHash: string;
  createdAt: Date;
}

export interface AccountRecord {
  id: string;
  name: string;
  createdAt: Date;
}

export interface SessionRecord {
  id: string;
  userId: string;
  accountId: string;
  role: UserRole;
  csrfHash: string;
  expiresAt: Date;
  userName: string | null;
}

/** The only code that touches the accounts, users and sessions collections. */
@Injectable()
export class AccountsRepository {
  constructor(
    @InjectModel(Account.name) private readonly accounts: Model<Account>,
    @InjectModel(User.name) private readonly users: Model<User>,
    @InjectModel(Session.name) private readonly sessions: Model<Session>,
  ) {}

  newAccountId(): string {
    return new Types.ObjectId().toHexString();
  }

  async createAccount(accountId: string, name: string): Promise<AccountRecord> {
    const created = await this.accounts.create({ _id: new Types.ObjectId(accountId), name });
    return toAccount(created.toObject());
  }

  async findAccount(accountId: string): Promise<AccountRecord | null> {
    const found = await this.accounts.findById(accountId).lean();
    return found ? toAccount(found) : null;
  }

  /** Every tenant, oldest first (the operator command's `tenants list`). */
  async listAccounts(): Promise<AccountRecord[]> {
    const found = await this.accounts.find({}).sort({ createdAt: 1 }).lean();
    return found.map(toAccount);
  }

  /** Undoes a sign-up whose account could not be written. */
  async deleteUser(accountId: string, userId: string): Promise<void> {
    await this.users.deleteOne({ _id: new Types.ObjectId(userId), accountId: new Types.ObjectId(accountId) });
  }

  /** Throws a duplicate-key error (code 11000) when the email is taken. */
  async createUser(accountId: string, user: Pick<UserRecord, 'name' | 'email' | 'role' | 'passwordHash'>): Promise<UserRecord> {
    const created = await this.users.create({ ...user, accountId: new Types.ObjectId(accountId) });
    return toUser(created.toObject());
  }

  async findUserByEmail(email: string): Promise<UserRecord | null> {
    const found = await this.users.findOne({ email: email.trim().toLowerCase() }).lean();
    return found ? toUser(found) : null;
  }

  async findUser(accountId: string, userId: string): Promise<UserRecord | null> {
    if (!Types.ObjectId.isValid(userId)) return null;
    const found = await this.users.findOne({ _id: new Types.ObjectId(userId), accountId: new Types.ObjectId(accountId) }).lean();
    return found ? toUser(found) : null;
  }

  /** Across tenants: only for the operator command. */
  async findUserById(userId: string): Promise<UserRecord | null> {
    if (!Types.ObjectId.isValid(userId)) return null;
    const found = await this.users.findById(userId).lean();
    return found ? toUser(found) : null;
  }

  async listUsers(accountId: string): Promise<UserRecord[]> {
    const found = await this.users
      .find({ accountId: new Types.ObjectId(accountId) })
      .sort({ createdAt: 1 })
      .lean();
    return found.map(toUser);
  }

  async createSession(session: Omit<SessionRecord, 'id'> & { tokenHash: string }): Promise<void> {
    await this.sessions.create({
      ...session,
      userId: new Types.ObjectId(session.userId),
      accountId: new Types.ObjectId(session.accountId),
    });
  }

  async findLiveSession(tokenHash: string, now: Date): Promise<SessionRecord | null> {
    const found = await this.sessions.findOne({ tokenHash, expiresAt: { $gt: now } }).lean();
    return found
      ? {
          id: String(found._id),
          userId: String(found.userId),
          accountId: String(found.accountId),
          role: found.role,
          csrfHash: found.csrfHash,
          expiresAt: found.expiresAt,
          userName: found.userName ?? null,
        }
      : null;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.sessions.deleteOne({ tokenHash });
  }

  /** Every session of the user but `keepSessionId`; returns how many ended. */
  async deleteSessionsOfUser(userId: string, keepSessionId?: string): Promise<number> {
    const filter = { userId: new Types.ObjectId(userId), ...(keepSessionId ? { _id: { $ne: new Types.ObjectId(keepSessionId) } } : {}) };
    return (await this.sessions.deleteMany(filter)).deletedCount;
  }

  /** Sessions carry the role the guard checks, so a role change rewrites them. */
  async setSessionsRole(userId: string, role: UserRole): Promise<void> {
    await this.sessions.updateMany({ userId: new Types.ObjectId(userId) }, { $set: { role } });
  }

  async setUserRole(accountId: string, userId: string, role: UserRole): Promise<void> {
    await this.users.updateOne({ _id: new Types.ObjectId(userId), accountId: new Types.ObjectId(accountId) }, { $set: { role } });
  }

  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.users.updateOne({ _id: new Types.ObjectId(userId) }, { $set: { passwordHash } });
  }

  async countOwners(accountId: string, ownerRole: UserRole): Promise<number> {
    return this.users.countDocuments({ accountId: new Types.ObjectId(accountId), role: ownerRole });
  }

  /** Housekeeping in place of a TTL index, which FerretDB lacks. */
  async deleteExpiredSessions(now: Date): Promise<number> {
    const result = await this.sessions.deleteMany({ expiresAt: { $lte: now } });
    return result.deletedCount;
  }
}

type Lean<T> = T & { _id: Types.ObjectId };

function toAccount(doc: Lean<Account>): AccountRecord {
  return { id: String(doc._id), name: doc.name, createdAt: doc.createdAt };
}

function toUser(doc: Lean<User>): UserRecord {
  return {
    id: String(doc._id),
    accountId: String(doc.accountId),
    name: doc.name,
    email: doc.email,
    role: doc.role,
    passwordHash: doc.passwordHash,
    createdAt: doc.createdAt,
  };
}
