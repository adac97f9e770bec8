import type { MockProxy } from 'jest-mock-extended';
import { sha256Hex } from '../common/crypto/sha256';
import { tokenBinding, type TokenCipher } from '../common/crypto/token-cipher';
import { ConflictError, NotFoundError } from '../common/errors/domain-errors';
import { readableCipher } from '../testing/doubles';
import { ACCOUNT_ID, aConnectionRecord, aDebugToken, CONNECTION_ID, OTHER_ACCOUNT_ID, USER_ID, WABA_ID } from '../testing/factories';
import { DAY, FakeClock } from '../testing/fake-clock';
import { strictMock } from '../testing/strict-mock';
import { nextCheckAfterGrant } from './check-schedule';
import type { CredentialsRepository } from './credentials.repository';
import { CredentialsService, grantedWabaTargets, hasWabaManagementScope } from './credentials.service';

const TOKEN = 'tenant-token';

describe('CredentialsService', () => {
  let clock: FakeClock;
  let repository: MockProxy<CredentialsRepository>;
  let cipher: MockProxy<TokenCipher>;
  let service: CredentialsService;

  beforeEach(() => {
    clock = new FakeClock('2026-11-25T12:00:00Z');
    repository = strictMock<CredentialsRepository>('repository');
    cipher = readableCipher();
    service = new CredentialsService(repository, cipher, clock);
  });

  it("stores a grant encrypted and bound to the tenant and the token's fingerprint, with what debug_token said", async () => {
    repository.upsertGrant.mockResolvedValue(aConnectionRecord());
    const expiresAt = new Date(clock.now().getTime() + 10 * DAY);
    const debug = aDebugToken({ type: 'USER', expires_at: expiresAt.getTime() / 1000, data_access_expires_at: 0 });

    await service.saveGrant({ accountId: ACCOUNT_ID, userId: USER_ID }, TOKEN, 'oauth', debug, [WABA_ID]);

    expect(repository.upsertGrant).toHaveBeenCalledWith(ACCOUNT_ID, {
      tokenFingerprint: sha256Hex(TOKEN),
      encryptedToken: `enc(${TOKEN}|${tokenBinding(ACCOUNT_ID, sha256Hex(TOKEN))})`,
      source: 'oauth',
      tokenType: 'USER',
      scopes: debug.scopes,
      grantedWabaIds: [WABA_ID],
      metaUserId: 'meta-user-1',
      expiresAt,
      dataAccessExpiresAt: null,
      createdBy: USER_ID,
      checkedAt: clock.now(),
      // Inside the extension window: the first check is due at once.
      nextCheckAt: nextCheckAfterGrant(expiresAt, clock.now()),
    });
    expect(nextCheckAfterGrant(expiresAt, clock.now())).toEqual(clock.now());
  });

  it("schedules a never-expiring grant's first check a day on", async () => {
    repository.upsertGrant.mockResolvedValue(aConnectionRecord());
    await service.saveGrant({ accountId: ACCOUNT_ID }, TOKEN, 'manual', aDebugToken({ expires_at: 0 }), [WABA_ID]);
    expect(repository.upsertGrant).toHaveBeenCalledWith(ACCOUNT_ID, expect.objectContaining({ expiresAt: null, createdBy: null, nextCheckAt: new Date(clock.now().getTime() + DAY) }));
  });

  it('hands out the token of a stored credential', async () => {
    repository.find.calledWith(ACCOUNT_ID, CONNECTION_ID).mockResolvedValue(aConnectionRecord({ encryptedToken: cipher.encrypt(TOKEN, tokenBinding(ACCOUNT_ID, sha256Hex(TOKEN))) }));
    await expect(service.tokenOf(ACCOUNT_ID, CONNECTION_ID)).resolves.toBe(TOKEN);
  });

  it('refuses a credential that no longer exists', async () => {
    repository.find.mockResolvedValue(null);
    await expect(service.tokenOf(ACCOUNT_ID, CONNECTION_ID)).rejects.toThrow(NotFoundError);
  });

  it("never uses a ciphertext copied from another tenant's record", async () => {
    const theirs = cipher.encrypt(TOKEN, tokenBinding(OTHER_ACCOUNT_ID, sha256Hex(TOKEN)));
    repository.find.mockResolvedValue(aConnectionRecord({ encryptedToken: theirs }));
    await expect(service.tokenOf(ACCOUNT_ID, CONNECTION_ID)).rejects.toThrow(ConflictError);
  });

  it('reads each credential once for its views', async () => {
    repository.findMany.mockResolvedValue([aConnectionRecord({ lastCheckedAt: clock.now() })]);
    const views = await service.views(ACCOUNT_ID, [CONNECTION_ID, CONNECTION_ID]);
    expect(repository.findMany).toHaveBeenCalledWith(ACCOUNT_ID, [CONNECTION_ID]);
    expect(views.get(CONNECTION_ID)).toEqual({ id: CONNECTION_ID, source: 'oauth', status: 'active', expiresAt: null, lastCheckedAt: clock.now().toISOString(), lastError: null });
  });

  it('marks a credential for reconnecting, or revoked, with the reason', async () => {
    repository.setStatus.mockResolvedValue();
    await service.markNeedsReauth(ACCOUNT_ID, CONNECTION_ID, 'refused');
    await service.markRevoked(ACCOUNT_ID, CONNECTION_ID, 'app removed');
    expect(repository.setStatus.mock.calls).toEqual([
      [ACCOUNT_ID, CONNECTION_ID, 'needs_reauth', 'refused'],
      [ACCOUNT_ID, CONNECTION_ID, 'revoked', 'app removed'],
    ]);
  });

  it('reads the granted WABAs from granular scopes, and the management permission from either list', () => {
    expect(grantedWabaTargets(aDebugToken({}, [WABA_ID]))).toEqual([WABA_ID]);
    expect(grantedWabaTargets(aDebugToken({}, null))).toBeUndefined();
    expect(hasWabaManagementScope(aDebugToken({ scopes: [] }, [WABA_ID]))).toBe(true);
    expect(hasWabaManagementScope(aDebugToken({ scopes: ['whatsapp_business_management'] }, null))).toBe(true);
    expect(hasWabaManagementScope(aDebugToken({ scopes: ['whatsapp_business_messaging'] }, null))).toBe(false);
  });
});
