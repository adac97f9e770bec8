import { Injectable } from '@nestjs/common';
import { UserRole, type ChangePasswordRequest, type LoginRequest, type SessionView, type SignUpRequest, type UserView } from '@waba/contracts';
import { randomBytes } from 'node:crypto';
import { ApiConfig } from '../config/api-config';
import type { TenantContext } from '../common/auth/auth.decorators';
import { newCsrfToken } from '../common/auth/csrf';
import { sha256Hex } from '../common/crypto/sha256';
import { Clock } from '../common/clock/clock';
import { DomainEvents } from '../common/events/domain-events';
import { isDuplicateKey } from '../common/errors/all-exceptions.filter';
import { ConflictError, TooManyRequestsError, InvalidRequestError, UnauthorizedError } from '../common/errors/domain-errors';
import { AccountsRepository, type AccountRecord, type UserRecord } from './accounts.repository';
import { OperatorGrantsRepository } from './operator-grants.repository';
import { PasswordHasher } from './password-hasher';
import { SharedThrottlerStorage } from '../redis/shared-throttler-storage';

/** What the controller needs to set the two cookies after sign-up or login. */
export interface IssuedSession {
  sessionToken: string;
  csrfToken: string;
  expiresAt: Date;
  view: SessionView;
}

/** A live session as the guard and the socket gateway see it. */
export type ResolvedSession = TenantContext & { csrfHash: string; expiresAt: Date };

const LOGIN_WINDOW_MS = 15 * 60_000;

@Injectable()
export class AuthService {
  /** Verified against when the email is unknown, so both failures take the same time. */
  private dummyHash?: Promise<string>;

  constructor(
    private readonly repository: AccountsRepository,
    private readonly operatorGrants: OperatorGrantsRepository,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
    private readonly config: ApiConfig,
    private readonly domainEvents: DomainEvents,
    private readonly attempts: SharedThrottlerStorage,
  ) {}

  /**
   * Creates the tenant and its owner. The user is written first (its unique email is what usually
   * refuses a sign-up); if the account cannot be written after it, the user is removed again, so a
   * refused sign-up leaves nothing behind and the email stays free.
   */
  async signUp(request: SignUpRequest): Promise<IssuedSession> {
    const accountId = this.repository.newAccountId();
    const passwordHash = await this.hasher.hash(request.password);
    const user = await this.createUserOrConflict(accountId, { ...request, role: UserRole.Owner, passwordHash });
    const account = await this.repository.createAccount(accountId, request.accountName).catch(async (error: unknown) => {
      await this.repository.deleteUser(accountId, user.id);
      throw error;
    });
    return this.issueSession(user, account);
  }

  async login(request: LoginRequest): Promise<IssuedSession> {
    await this.limitAttemptsOn(request.email);
    const user = await this.repository.findUserByEmail(request.email);
    const valid = user ? await this.hasher.verify(user.passwordHash, request.password) : await this.hasher.verify(await this.getDummyHash(), request.password).then(() => false);
    const account = user && valid ? await this.repository.findAccount(user.accountId) : null;
    if (!user || !account) throw new UnauthorizedError('Email or password is incorrect');
    return this.issueSession(user, account);
  }

  /**
   * Sign-in attempts per account, whatever address they come from (spraying one account from many
   * addresses is slowed), next to the per-address limit on the route: users behind one proxy
   * address do not lock each other out.
   */
  private async limitAttemptsOn(email: string): Promise<void> {
    const limit = this.config.LOGIN_ATTEMPTS_PER_ACCOUNT_PER_15_MINUTES;
    const seconds = await this.attempts.secondsToWait(`login:account:${sha256Hex(email.trim().toLowerCase())}`, limit, LOGIN_WINDOW_MS, 'login-account');
    if (seconds !== null) throw new TooManyRequestsError(`Too many sign-in attempts for this account. Try again in ${Math.ceil(seconds / 60)} minutes.`, seconds);
  }

  /** Ends the session and closes its sockets, on every instance. */
  async logout(tenant: TenantContext, sessionToken: string | undefined): Promise<void> {
    if (sessionToken) await this.repository.deleteSession(sha256Hex(sessionToken));
    this.domainEvents.emit('session.ended', { sessionId: tenant.sessionId });
  }

  /**
   * The tenant behind a session cookie, with the session's CSRF token hash, or null. Operator rights
   * are read from their grant on every call, so a revocation applies to the very next request.
   */
  async resolveSession(sessionToken: string): Promise<ResolvedSession | null> {
    const session = await this.repository.findLiveSession(sha256Hex(sessionToken), this.clock.now());
    if (!session) return null;
    const operator = await this.operatorGrants.isOperator(session.userId);
    return {
      accountId: session.accountId,
      userId: session.userId,
      userName: session.userName,
      role: session.role,
      sessionId: session.id,
      operator,
      csrfHash: session.csrfHash,
      expiresAt: session.expiresAt,
    };
  }

  async currentSession(tenant: TenantContext): Promise<SessionView> {
    const [user, account] = await Promise.all([this.repository.findUser(tenant.accountId, tenant.userId), this.repository.findAccount(tenant.accountId)]);
    if (!user || !account) throw new UnauthorizedError('Your session has ended; please log in again');
    return { user: toUserView(user), account: toAccountView(account) };
  }

  /** Needs the current password; ends every other session of the user and closes their sockets. */
  async changePassword(tenant: TenantContext, request: ChangePasswordRequest): Promise<void> {
    const user = await this.repository.findUser(tenant.accountId, tenant.userId);
    if (!user) throw new UnauthorizedError('Your session has ended; please log in again');
    if (!(await this.hasher.verify(user.passwordHash, request.currentPassword))) {
      throw new InvalidRequestError('Your current password is not correct');
    }
    if (request.newPassword === request.currentPassword) throw new InvalidRequestError('Choose a new password that differs from the current one');
    await this.repository.setPasswordHash(user.id, await this.hasher.hash(request.newPassword));
    await this.endSessionsOf(user.id, tenant.sessionId);
  }

  /** The signed-in user typed their password again (to reveal a secret): true when it is theirs. */
  async passwordMatches(tenant: TenantContext, password: string): Promise<boolean> {
    const user = await this.repository.findUser(tenant.accountId, tenant.userId);
    if (!user) throw new UnauthorizedError('Your session has ended; please log in again');
    return this.hasher.verify(user.passwordHash, password);
  }

  /** Every session of the user but `keepSessionId` ends now, and their sockets close on every instance. */
  async endSessionsOf(userId: string, keepSessionId?: string): Promise<void> {
    await this.repository.deleteSessionsOfUser(userId, keepSessionId);
    this.domainEvents.emit('user.sessions-ended', { userId, keepSessionId });
  }

  /** Hashes a chosen password; one place for sign-up and accepted invitations. */
  hashPassword(password: string): Promise<string> {
    return this.hasher.hash(password);
  }

  async createUserOrConflict(accountId: string, user: Pick<UserRecord, 'name' | 'email' | 'role' | 'passwordHash'>): Promise<UserRecord> {
    try {
      return await this.repository.createUser(accountId, user);
    } catch (error) {
      if (isDuplicateKey(error)) throw new ConflictError('An account with this email already exists');
      throw error;
    }
  }

  async issueSession(user: UserRecord, account: AccountRecord): Promise<IssuedSession> {
    const sessionToken = randomBytes(32).toString('base64url');
    const csrfToken = newCsrfToken();
    const expiresAt = new Date(this.clock.now().getTime() + this.config.SESSION_TTL_HOURS * 3600_000);
    await this.repository.createSession({
      tokenHash: sha256Hex(sessionToken),
      csrfHash: sha256Hex(csrfToken),
      userId: user.id,
      accountId: account.id,
      role: user.role,
      expiresAt,
      userName: user.name,
    });
    return { sessionToken, csrfToken, expiresAt, view: { user: toUserView(user), account: toAccountView(account) } };
  }

  private getDummyHash(): Promise<string> {
    this.dummyHash ??= this.hasher.hash(randomBytes(16).toString('hex'));
    return this.dummyHash;
  }
}

export function toUserView(user: UserRecord): UserView {
  return { id: user.id, name: user.name, email: user.email, role: user.role, createdAt: user.createdAt.toISOString() };
}

export function toAccountView(account: AccountRecord): SessionView['account'] {
  return { id: account.id, name: account.name, createdAt: account.createdAt.toISOString() };
}
