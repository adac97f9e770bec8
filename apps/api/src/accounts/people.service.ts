import { Injectable } from '@nestjs/common';
import {
  INVITATION_TTL_DAYS,
  UserRole,
  type AcceptInvitationRequest,
  type CreatedInvitationView,
  type CreateInvitationRequest,
  type InvitationPreview,
  type InvitationView,
  type UserView,
} from '@waba/contracts';
import { randomBytes } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import type { TenantContext } from '../common/auth/auth.decorators';
import { Clock } from '../common/clock/clock';
import { sha256Hex } from '../common/crypto/sha256';
import { ConflictError, GoneError, NotFoundError } from '../common/errors/domain-errors';
import { ApiConfig } from '../config/api-config';
import { AccountsRepository } from './accounts.repository';
import { AuthService, toUserView, type IssuedSession } from './auth.service';
import { InvitationMailer } from './invitation-mailer';
import { InvitationsRepository, type InvitationRecord } from './invitations.repository';
import { OperatorGrantsRepository } from './operator-grants.repository';

const LAST_OWNER = 'Every account needs an owner: make someone else an owner first';
const ALREADY_USED = 'This invitation has already been used. If it was you, log in with your email and password';

/**
 * The people of a tenant: owners invite by email (the invitee chooses their own name and
 * password), change roles and remove users. The account never has fewer than one owner.
 */
@Injectable()
export class PeopleService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly invitations: InvitationsRepository,
    private readonly operatorGrants: OperatorGrantsRepository,
    private readonly auth: AuthService,
    private readonly mailer: InvitationMailer,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: ApiConfig,
  ) {}

  async listUsers(tenant: TenantContext): Promise<UserView[]> {
    return (await this.accounts.listUsers(tenant.accountId)).map(toUserView);
  }

  async listInvitations(tenant: TenantContext): Promise<InvitationView[]> {
    return (await this.invitations.listPending(tenant.accountId, this.clock.now())).map(toInvitationView);
  }

  /**
   * A new single-use link; an earlier pending invitation of the same email is withdrawn. The link is
   * returned to the owner (the only time it can be seen: only its hash is stored) and emailed when
   * SMTP is configured.
   */
  async invite(tenant: TenantContext, request: CreateInvitationRequest): Promise<CreatedInvitationView> {
    const email = request.email.trim().toLowerCase();
    if (await this.accounts.findUserByEmail(email)) throw new ConflictError(`${email} already has a WABA Connect account`);
    const [inviter, account] = await Promise.all([this.accounts.findUser(tenant.accountId, tenant.userId), this.accounts.findAccount(tenant.accountId)]);
    if (!inviter || !account) throw new NotFoundError('Your account no longer exists');

    const now = this.clock.now();
    await this.invitations.revokePending(tenant.accountId, { email }, now);
    const token = randomBytes(32).toString('base64url');
    const invitation = await this.invitations.create({
      accountId: tenant.accountId,
      email,
      role: request.role,
      invitedBy: inviter.id,
      invitedByName: inviter.name,
      expiresAt: new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000),
      tokenHash: sha256Hex(token),
    });
    // In the fragment, so the token never reaches a server log or a Referer header.
    const link = `${this.config.publicUrl}/invite#${token}`;
    const emailed = await this.mailer.send({ to: email, accountName: account.name, inviterName: inviter.name, role: request.role, link, expiresAt: invitation.expiresAt });
    await this.audit.record(tenant, 'user.invited', email, `as ${request.role}${emailed ? ', emailed' : ''}`);
    return { ...toInvitationView(invitation), link, emailed };
  }

  async revokeInvitation(tenant: TenantContext, invitationId: string): Promise<void> {
    const invitation = await this.invitations.findInAccount(tenant.accountId, invitationId);
    if (!invitation) throw new NotFoundError('No such invitation in this account');
    if (invitation.usedAt) throw new ConflictError(`${invitation.email} has already accepted this invitation`);
    if ((await this.invitations.revokePending(tenant.accountId, { id: invitation.id }, this.clock.now())) > 0) {
      await this.audit.record(tenant, 'invitation.revoked', invitation.email);
    }
  }

  /** What the invitee's page shows before they choose a password; explains in words a link that no longer works. */
  async previewInvitation(token: string): Promise<InvitationPreview> {
    const invitation = await this.invitations.findByTokenHash(sha256Hex(token));
    this.assertPending(invitation);
    const account = await this.accounts.findAccount(invitation.accountId);
    if (!account) throw new GoneError('The account that invited you no longer exists');
    return { accountName: account.name, email: invitation.email, role: invitation.role, invitedByName: invitation.invitedByName, expiresAt: invitation.expiresAt.toISOString() };
  }

  /** Creates the invitee's user in the inviting tenant and signs them in; the link cannot be used again. */
  async acceptInvitation(request: AcceptInvitationRequest): Promise<IssuedSession> {
    const tokenHash = sha256Hex(request.token);
    const passwordHash = await this.auth.hashPassword(request.password);
    const claimed = await this.invitations.claim(tokenHash, this.clock.now());
    if (!claimed) {
      this.assertPending(await this.invitations.findByTokenHash(tokenHash));
      throw new GoneError('This invitation link no longer works; ask the account owner for a new one');
    }
    const account = await this.accounts.findAccount(claimed.accountId);
    if (!account) throw new GoneError('The account that invited you no longer exists');
    const user = await this.auth.createUserOrConflict(account.id, { name: request.name.trim(), email: claimed.email, role: claimed.role, passwordHash }).catch(async (error: unknown) => {
      // FerretDB can let two tabs both claim the link; the users' unique email index lets only one
      // through, and the other tab is told the link is used, which leaves the claim in place.
      if (error instanceof ConflictError && (await this.accounts.findUserByEmail(claimed.email))?.accountId === account.id) throw new GoneError(ALREADY_USED);
      await this.invitations.release(claimed.id);
      throw error;
    });
    await this.audit.record({ accountId: account.id, userId: user.id, userName: user.name }, 'invitation.accepted', user.email, `as ${user.role}, invited by ${claimed.invitedByName}`);
    return this.auth.issueSession(user, account);
  }

  /** Takes effect on the user's next request (sessions carry the role). */
  async changeRole(tenant: TenantContext, userId: string, role: UserRole): Promise<UserView> {
    const user = await this.accounts.findUser(tenant.accountId, userId);
    if (!user) throw new NotFoundError('No such user in this account');
    if (user.role === role) return toUserView(user);
    if (user.role === UserRole.Owner) await this.demoteOwner(tenant.accountId, user.id, role);
    else await this.accounts.setUserRole(tenant.accountId, user.id, role);
    await this.accounts.setSessionsRole(user.id, role);
    await this.audit.record(tenant, 'user.role_changed', user.email, `${user.role} → ${role}`);
    return toUserView({ ...user, role });
  }

  /** The user's sessions end and their sockets close at once, on every instance. */
  async removeUser(tenant: TenantContext, userId: string): Promise<void> {
    const user = await this.accounts.findUser(tenant.accountId, userId);
    if (!user) throw new NotFoundError('No such user in this account');
    // Demoting first runs the last-owner check, race included, before anything is deleted.
    if (user.role === UserRole.Owner) await this.demoteOwner(tenant.accountId, user.id, UserRole.Admin);
    await this.accounts.deleteUser(tenant.accountId, user.id);
    await this.operatorGrants.revoke(user.id);
    await this.auth.endSessionsOf(user.id);
    await this.audit.record(tenant, 'user.removed', user.email, `was ${user.role}`);
  }

  /**
   * Without transactions two owners could demote each other at once: each writes, then counts, and
   * a write that left no owner is undone (both undo in that race, leaving both owners).
   */
  private async demoteOwner(accountId: string, userId: string, role: UserRole): Promise<void> {
    if ((await this.accounts.countOwners(accountId, UserRole.Owner)) <= 1) throw new ConflictError(LAST_OWNER);
    await this.accounts.setUserRole(accountId, userId, role);
    if ((await this.accounts.countOwners(accountId, UserRole.Owner)) === 0) {
      await this.accounts.setUserRole(accountId, userId, UserRole.Owner);
      throw new ConflictError(LAST_OWNER);
    }
  }

  private assertPending(invitation: InvitationRecord | null): asserts invitation is InvitationRecord {
    if (!invitation) throw new NotFoundError('This invitation link is not valid: check that you copied all of it, or ask for a new invitation');
    if (invitation.usedAt) throw new GoneError(ALREADY_USED);
    if (invitation.revokedAt) throw new GoneError('This invitation was withdrawn by the account owner; ask them for a new one');
    if (invitation.expiresAt <= this.clock.now()) {
      throw new GoneError(`This invitation expired on ${invitation.expiresAt.toUTCString()}; ask the account owner for a new one`);
    }
  }
}

function toInvitationView(invitation: InvitationRecord): InvitationView {
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    invitedByName: invitation.invitedByName,
    createdAt: invitation.createdAt.toISOString(),
    expiresAt: invitation.expiresAt.toISOString(),
  };
}
