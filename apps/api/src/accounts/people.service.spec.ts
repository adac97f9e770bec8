import type { MockProxy } from 'jest-mock-extended';
import { UserRole } from '@waba/contracts';
import type { AuditService } from '../audit/audit.service';
import { sha256Hex } from '../common/crypto/sha256';
import { ConflictError, GoneError, NotFoundError } from '../common/errors/domain-errors';
import type { ApiConfig } from '../config/api-config';
import { ACCOUNT_ID, anAccountRecord, aTenant, aUserRecord, USER_ID } from '../testing/factories';
import { DAY, FakeClock } from '../testing/fake-clock';
import { strictMock } from '../testing/strict-mock';
import type { AccountsRepository } from './accounts.repository';
import type { AuthService } from './auth.service';
import type { InvitationMailer } from './invitation-mailer';
import type { InvitationRecord, InvitationsRepository } from './invitations.repository';
import type { OperatorGrantsRepository } from './operator-grants.repository';
import { PeopleService } from './people.service';

const tenant = aTenant();
const COLLEAGUE = '64b0000000000000000000a2';
const INVITATION_ID = '64b0000000000000000000b1';

describe('PeopleService', () => {
  let clock: FakeClock;
  let accounts: MockProxy<AccountsRepository>;
  let invitations: MockProxy<InvitationsRepository>;
  let operatorGrants: MockProxy<OperatorGrantsRepository>;
  let auth: MockProxy<AuthService>;
  let mailer: MockProxy<InvitationMailer>;
  let audit: MockProxy<AuditService>;
  let service: PeopleService;

  beforeEach(() => {
    clock = new FakeClock('2026-11-25T12:00:00Z');
    accounts = strictMock<AccountsRepository>('accounts');
    invitations = strictMock<InvitationsRepository>('invitations');
    operatorGrants = strictMock<OperatorGrantsRepository>('operatorGrants');
    auth = strictMock<AuthService>('auth');
    mailer = strictMock<InvitationMailer>('mailer');
    audit = strictMock<AuditService>('audit');
    audit.record.mockResolvedValue();
    service = new PeopleService(accounts, invitations, operatorGrants, auth, mailer, audit, clock, { publicUrl: 'https://waba.example' } as ApiConfig);
  });

  const anInvitation = (overrides: Partial<InvitationRecord> = {}): InvitationRecord => ({
    id: INVITATION_ID,
    accountId: ACCOUNT_ID,
    email: 'sam@acme.test',
    role: UserRole.Admin,
    invitedBy: USER_ID,
    invitedByName: 'Olivia Owner',
    createdAt: clock.now(),
    expiresAt: new Date(clock.now().getTime() + 7 * DAY),
    usedAt: null,
    revokedAt: null,
    ...overrides,
  });

  describe('invite', () => {
    it('refuses an email that already has an account', async () => {
      accounts.findUserByEmail.calledWith('sam@acme.test').mockResolvedValue(aUserRecord({ email: 'sam@acme.test' }));
      await expect(service.invite(tenant, { email: ' Sam@Acme.test ', role: UserRole.Admin })).rejects.toThrow(new ConflictError('sam@acme.test already has a WABA Connect account'));
    });

    it("withdraws an earlier invitation, stores only the link's hash, valid for 7 days, with the token in the fragment", async () => {
      accounts.findUserByEmail.mockResolvedValue(null);
      accounts.findUser.calledWith(ACCOUNT_ID, USER_ID).mockResolvedValue(aUserRecord());
      accounts.findAccount.calledWith(ACCOUNT_ID).mockResolvedValue(anAccountRecord());
      invitations.revokePending.mockResolvedValue(1);
      invitations.create.mockImplementation(async (invitation) => anInvitation({ expiresAt: invitation.expiresAt }));
      mailer.send.mockResolvedValue(false);

      const created = await service.invite(tenant, { email: 'Sam@acme.test', role: UserRole.Admin });

      const token = created.link.replace('https://waba.example/invite#', '');
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(invitations.revokePending).toHaveBeenCalledWith(ACCOUNT_ID, { email: 'sam@acme.test' }, clock.now());
      expect(invitations.create).toHaveBeenCalledWith(
        expect.objectContaining({ email: 'sam@acme.test', tokenHash: sha256Hex(token), expiresAt: new Date(clock.now().getTime() + 7 * DAY), invitedByName: 'Olivia Owner' }),
      );
      expect(invitations.revokePending.mock.invocationCallOrder[0]).toBeLessThan(invitations.create.mock.invocationCallOrder[0]);
      expect(created.emailed).toBe(false);
      expect(audit.record).toHaveBeenCalledWith(tenant, 'user.invited', 'sam@acme.test', 'as admin');
    });
  });

  describe('an invitation link', () => {
    it.each<[string, InvitationRecord | null, new (message: string) => Error, RegExp]>([
      ['unknown', null, NotFoundError, /not valid/],
      ['used', { usedAt: new Date() } as InvitationRecord, GoneError, /already been used/],
      ['withdrawn', { revokedAt: new Date() } as InvitationRecord, GoneError, /withdrawn/],
    ])('that is %s is refused in words', async (_case, found, errorClass, message) => {
      invitations.findByTokenHash.calledWith(sha256Hex('token-1')).mockResolvedValue(found && anInvitation(found));
      await expect(service.previewInvitation('token-1')).rejects.toThrow(errorClass);
      await expect(service.previewInvitation('token-1')).rejects.toThrow(message);
    });

    it('expires at its expiry time, not after', async () => {
      invitations.findByTokenHash.mockResolvedValue(anInvitation());
      accounts.findAccount.mockResolvedValue(anAccountRecord());
      await expect(service.previewInvitation('token-1')).resolves.toMatchObject({ accountName: 'Acme Ltd', email: 'sam@acme.test' });
      clock.advance(7 * DAY);
      await expect(service.previewInvitation('token-1')).rejects.toThrow(/expired on/);
    });

    it('gives the place of an accepted one back when creating the user fails', async () => {
      auth.hashPassword.mockResolvedValue('hash');
      invitations.claim.calledWith(sha256Hex('token-1'), clock.now()).mockResolvedValue(anInvitation());
      accounts.findAccount.mockResolvedValue(anAccountRecord());
      const conflict = new ConflictError('taken');
      auth.createUserOrConflict.mockRejectedValue(conflict);
      accounts.findUserByEmail.calledWith('sam@acme.test').mockResolvedValue(aUserRecord({ accountId: 'another-account', email: 'sam@acme.test' }));
      invitations.release.mockResolvedValue();

      await expect(service.acceptInvitation({ token: 'token-1', name: 'Sam', password: 'long enough password' })).rejects.toBe(conflict);
      expect(invitations.release).toHaveBeenCalledWith(INVITATION_ID);
    });

    it('tells the tab that lost a race for the same link that it is used, and keeps it used', async () => {
      auth.hashPassword.mockResolvedValue('hash');
      invitations.claim.mockResolvedValue(anInvitation());
      accounts.findAccount.mockResolvedValue(anAccountRecord());
      auth.createUserOrConflict.mockRejectedValue(new ConflictError('taken'));
      accounts.findUserByEmail.calledWith('sam@acme.test').mockResolvedValue(aUserRecord({ accountId: ACCOUNT_ID, email: 'sam@acme.test' }));

      await expect(service.acceptInvitation({ token: 'token-1', name: 'Sam', password: 'long enough password' })).rejects.toThrow(GoneError);
      expect(invitations.release).not.toHaveBeenCalled();
    });

    it('cannot be withdrawn once accepted', async () => {
      invitations.findInAccount.calledWith(ACCOUNT_ID, INVITATION_ID).mockResolvedValue(anInvitation({ usedAt: clock.now() }));
      await expect(service.revokeInvitation(tenant, INVITATION_ID)).rejects.toThrow(ConflictError);
    });
  });

  describe('the last owner', () => {
    beforeEach(() => {
      accounts.findUser.calledWith(ACCOUNT_ID, COLLEAGUE).mockResolvedValue(aUserRecord({ id: COLLEAGUE, email: 'sam@acme.test' }));
    });

    it('cannot be demoted or removed', async () => {
      accounts.countOwners.mockResolvedValue(1);
      await expect(service.changeRole(tenant, COLLEAGUE, UserRole.Admin)).rejects.toThrow(new ConflictError('Every account needs an owner: make someone else an owner first'));
      await expect(service.removeUser(tenant, COLLEAGUE)).rejects.toThrow(ConflictError);
      expect(accounts.setUserRole).not.toHaveBeenCalled();
    });

    it('is restored when two owners demoted each other at once', async () => {
      accounts.countOwners.mockResolvedValueOnce(2).mockResolvedValueOnce(0);
      accounts.setUserRole.mockResolvedValue();

      await expect(service.changeRole(tenant, COLLEAGUE, UserRole.Admin)).rejects.toThrow(ConflictError);

      expect(accounts.setUserRole.mock.calls).toEqual([
        [ACCOUNT_ID, COLLEAGUE, UserRole.Admin],
        [ACCOUNT_ID, COLLEAGUE, UserRole.Owner],
      ]);
    });

    it('may be demoted while another owner remains; the sessions carry the new role at once', async () => {
      accounts.countOwners.mockResolvedValue(2);
      accounts.setUserRole.mockResolvedValue();
      accounts.setSessionsRole.mockResolvedValue();

      await expect(service.changeRole(tenant, COLLEAGUE, UserRole.Admin)).resolves.toMatchObject({ role: UserRole.Admin });
      expect(accounts.setSessionsRole).toHaveBeenCalledWith(COLLEAGUE, UserRole.Admin);
      expect(audit.record).toHaveBeenCalledWith(tenant, 'user.role_changed', 'sam@acme.test', 'owner → admin');
    });
  });

  it('removes a user with their operator grant and sessions', async () => {
    accounts.findUser.mockResolvedValue(aUserRecord({ id: COLLEAGUE, role: UserRole.Admin, email: 'sam@acme.test' }));
    accounts.deleteUser.mockResolvedValue();
    operatorGrants.revoke.mockResolvedValue(true);
    auth.endSessionsOf.mockResolvedValue();

    await service.removeUser(tenant, COLLEAGUE);

    expect(accounts.deleteUser).toHaveBeenCalledWith(ACCOUNT_ID, COLLEAGUE);
    expect(operatorGrants.revoke).toHaveBeenCalledWith(COLLEAGUE);
    expect(auth.endSessionsOf).toHaveBeenCalledWith(COLLEAGUE);
    expect(audit.record).toHaveBeenCalledWith(tenant, 'user.removed', 'sam@acme.test', 'was admin');
  });
});
