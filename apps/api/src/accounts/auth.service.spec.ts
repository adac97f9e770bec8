import type { MockProxy } from 'jest-mock-extended';
import { UserRole } from '@waba/contracts';
import { sha256Hex } from '../common/crypto/sha256';
import { ConflictError, InvalidRequestError, TooManyRequestsError, UnauthorizedError } from '../common/errors/domain-errors';
import type { ApiConfig } from '../config/api-config';
import { DomainEvents } from '../common/events/domain-events';
import type { SharedThrottlerStorage } from '../redis/shared-throttler-storage';
import { ACCOUNT_ID, anAccountRecord, aTenant, aUserRecord, USER_ID } from '../testing/factories';
import { FakeClock, HOUR } from '../testing/fake-clock';
import { strictMock } from '../testing/strict-mock';
import type { AccountsRepository } from './accounts.repository';
import { AuthService } from './auth.service';
import type { OperatorGrantsRepository } from './operator-grants.repository';
import type { PasswordHasher } from './password-hasher';

const EMAIL = 'olivia@acme.test';
const PASSWORD = 'correct horse battery';

describe('AuthService', () => {
  let clock: FakeClock;
  let repository: MockProxy<AccountsRepository>;
  let operatorGrants: MockProxy<OperatorGrantsRepository>;
  let hasher: MockProxy<PasswordHasher>;
  let domainEvents: DomainEvents;
  let ended: unknown[];
  let attempts: MockProxy<SharedThrottlerStorage>;
  let service: AuthService;

  beforeEach(() => {
    clock = new FakeClock('2026-11-25T12:00:00Z');
    repository = strictMock<AccountsRepository>('repository');
    operatorGrants = strictMock<OperatorGrantsRepository>('operatorGrants');
    hasher = strictMock<PasswordHasher>('hasher');
    domainEvents = new DomainEvents();
    ended = [];
    domainEvents.on('user.sessions-ended', (event) => ended.push(event));
    attempts = strictMock<SharedThrottlerStorage>('attempts');
    hasher.hash.mockImplementation(async (password) => `hashed(${password})`);
    hasher.verify.mockImplementation(async (hash, password) => hash === `hashed(${password})`);
    attempts.secondsToWait.mockResolvedValue(null);
    repository.createSession.mockResolvedValue();
    const config = { SESSION_TTL_HOURS: 12, LOGIN_ATTEMPTS_PER_ACCOUNT_PER_15_MINUTES: 10 } as ApiConfig;
    service = new AuthService(repository, operatorGrants, hasher, clock, config, domainEvents, attempts);
  });

  describe('login', () => {
    it('issues a session whose cookie and CSRF token are stored only as hashes, for the configured hours', async () => {
      repository.findUserByEmail.calledWith(EMAIL).mockResolvedValue(aUserRecord({ passwordHash: `hashed(${PASSWORD})` }));
      repository.findAccount.calledWith(ACCOUNT_ID).mockResolvedValue(anAccountRecord());

      const issued = await service.login({ email: EMAIL, password: PASSWORD });

      expect(issued.expiresAt).toEqual(new Date(clock.now().getTime() + 12 * HOUR));
      expect(repository.createSession).toHaveBeenCalledWith({
        tokenHash: sha256Hex(issued.sessionToken),
        csrfHash: sha256Hex(issued.csrfToken),
        userId: USER_ID,
        accountId: ACCOUNT_ID,
        role: UserRole.Owner,
        expiresAt: issued.expiresAt,
        userName: 'Olivia Owner',
      });
    });

    it('says the same for a wrong password and an unknown email, and checks a password either way', async () => {
      repository.findUserByEmail.calledWith(EMAIL).mockResolvedValue(aUserRecord({ passwordHash: `hashed(${PASSWORD})` }));
      repository.findUserByEmail.calledWith('nobody@acme.test').mockResolvedValue(null);

      await expect(service.login({ email: EMAIL, password: 'wrong' })).rejects.toThrow(new UnauthorizedError('Email or password is incorrect'));
      await expect(service.login({ email: 'nobody@acme.test', password: PASSWORD })).rejects.toThrow(new UnauthorizedError('Email or password is incorrect'));
      expect(hasher.verify).toHaveBeenCalledTimes(2);
    });

    it('limits attempts per account, whatever the spelling of the email', async () => {
      attempts.secondsToWait.mockResolvedValue(600);
      const refused = service.login({ email: ' Olivia@Acme.test ', password: PASSWORD });
      await expect(refused).rejects.toThrow(TooManyRequestsError);
      await expect(refused).rejects.toMatchObject({ retryAfterSeconds: 600, message: expect.stringContaining('Try again in 10 minutes') });
      expect(attempts.secondsToWait).toHaveBeenCalledWith(`login:account:${sha256Hex(EMAIL)}`, 10, 15 * 60_000, 'login-account');
    });
  });

  describe('signUp', () => {
    it('creates the owner first and removes it again when the account cannot be written', async () => {
      repository.newAccountId.mockReturnValue(ACCOUNT_ID);
      repository.createUser.mockResolvedValue(aUserRecord());
      const refused = new Error('write refused');
      repository.createAccount.mockRejectedValue(refused);
      repository.deleteUser.mockResolvedValue();

      await expect(service.signUp({ accountName: 'Acme', name: 'Olivia', email: EMAIL, password: PASSWORD })).rejects.toBe(refused);
      expect(repository.createUser).toHaveBeenCalledWith(ACCOUNT_ID, expect.objectContaining({ role: UserRole.Owner, passwordHash: `hashed(${PASSWORD})` }));
      expect(repository.deleteUser).toHaveBeenCalledWith(ACCOUNT_ID, USER_ID);
    });

    it('turns a taken email into a conflict', async () => {
      repository.createUser.mockRejectedValue(Object.assign(new Error('E11000 duplicate key'), { code: 11000 }));
      await expect(service.createUserOrConflict(ACCOUNT_ID, { name: 'Sam', email: EMAIL, role: UserRole.Admin, passwordHash: 'h' })).rejects.toThrow(ConflictError);
    });
  });

  it('reads operator rights from their grant on every session look-up', async () => {
    repository.findLiveSession.calledWith(sha256Hex('cookie'), clock.now()).mockResolvedValue({
      id: 'session-1',
      userId: USER_ID,
      accountId: ACCOUNT_ID,
      role: UserRole.Owner,
      csrfHash: 'csrf',
      expiresAt: clock.now(),
      userName: 'Olivia Owner',
    } as never);
    operatorGrants.isOperator.calledWith(USER_ID).mockResolvedValueOnce(true).mockResolvedValueOnce(false);

    await expect(service.resolveSession('cookie')).resolves.toMatchObject({ operator: true, sessionId: 'session-1' });
    await expect(service.resolveSession('cookie')).resolves.toMatchObject({ operator: false });
  });

  describe('changePassword', () => {
    const tenant = aTenant();

    beforeEach(() => repository.findUser.calledWith(ACCOUNT_ID, USER_ID).mockResolvedValue(aUserRecord({ passwordHash: `hashed(${PASSWORD})` })));

    it('needs the current password and a different new one', async () => {
      await expect(service.changePassword(tenant, { currentPassword: 'wrong', newPassword: 'something new here' })).rejects.toThrow(new InvalidRequestError('Your current password is not correct'));
      await expect(service.changePassword(tenant, { currentPassword: PASSWORD, newPassword: PASSWORD })).rejects.toThrow(InvalidRequestError);
    });

    it('ends every other session of the user and closes their sockets', async () => {
      repository.setPasswordHash.mockResolvedValue();
      repository.deleteSessionsOfUser.mockResolvedValue(2);

      await service.changePassword(tenant, { currentPassword: PASSWORD, newPassword: 'something new here' });

      expect(repository.setPasswordHash).toHaveBeenCalledWith(USER_ID, 'hashed(something new here)');
      expect(repository.deleteSessionsOfUser).toHaveBeenCalledWith(USER_ID, tenant.sessionId);
      expect(ended).toEqual([{ userId: USER_ID, keepSessionId: tenant.sessionId }]);
    });
  });
});
