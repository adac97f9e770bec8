import type { MockProxy } from 'jest-mock-extended';
import type { ConnectionView } from '@waba/contracts';
import type { MetaGraphClient } from '@waba/meta-graph';
import type { AuditService } from '../audit/audit.service';
import type { DomainEvents } from '../common/events/domain-events';
import { sha256Hex } from '../common/crypto/sha256';
import { tokenBinding, type TokenCipher } from '../common/crypto/token-cipher';
import type { CredentialsService } from '../credentials/credentials.service';
import type { PhoneNumbersService, TenantNumbers } from '../phone-numbers/phone-numbers.service';
import type { RealtimePublisher } from '../realtime/realtime-publisher';
import { readableCipher, tenantNumbersOf } from '../testing/doubles';
import { ACCOUNT_ID, aCheckedConnection, aDebugToken, aGraphError, CONNECTION_ID, WABA_ID } from '../testing/factories';
import { DAY, FakeClock, MINUTE } from '../testing/fake-clock';
import { strictMock } from '../testing/strict-mock';
import { nextCheckAfterFailure, nextCheckForValid } from '../credentials/check-schedule';
import type { CheckedConnection, CredentialChecksService } from '../credentials/credential-checks.service';
import { TokenCheckService } from './token-check.service';

const TOKEN = 'tenant-token-0123456789';
const NEW_TOKEN = 'extended-token-9876543210';
const SECOND_WABA = '1000000000000002';
const WRITE = { dryRun: false };
const DRY_RUN = { dryRun: true };
const CHECKER = { accountId: ACCOUNT_ID, name: 'Credential check' };

describe('TokenCheckService', () => {
  let clock: FakeClock;
  let repository: MockProxy<CredentialChecksService>;
  let credentials: MockProxy<CredentialsService>;
  let phoneNumbers: MockProxy<PhoneNumbersService>;
  let numbers: MockProxy<TenantNumbers>;
  let graph: MockProxy<MetaGraphClient>;
  let cipher: MockProxy<TokenCipher>;
  let events: MockProxy<RealtimePublisher>;
  let audit: MockProxy<AuditService>;
  let domainEvents: MockProxy<DomainEvents>;
  let service: TokenCheckService;
  let connection: CheckedConnection;

  beforeEach(() => {
    clock = new FakeClock('2026-11-25T12:00:00Z');
    repository = strictMock<CredentialChecksService>('repository');
    credentials = strictMock<CredentialsService>('credentials');
    phoneNumbers = strictMock<PhoneNumbersService>('phoneNumbers');
    numbers = tenantNumbersOf(phoneNumbers);
    graph = strictMock<MetaGraphClient>('graph');
    cipher = readableCipher();
    events = strictMock<RealtimePublisher>('events');
    audit = strictMock<AuditService>('audit');
    domainEvents = strictMock<DomainEvents>('domainEvents');
    service = new TokenCheckService(repository, credentials, phoneNumbers, graph, cipher, events, audit, clock, domainEvents);

    const fingerprint = sha256Hex(TOKEN);
    connection = aCheckedConnection({ tokenFingerprint: fingerprint, encryptedToken: cipher.encrypt(TOKEN, tokenBinding(ACCOUNT_ID, fingerprint)) });
    cipher.encrypt.mockClear();
  });

  const inDays = (days: number) => new Date(clock.now().getTime() + days * DAY);
  const unix = (date: Date) => Math.floor(date.getTime() / 1000);

  /** Writes succeed; a visible change is pushed with the credential's view. */
  function givenWrites(): ConnectionView {
    const view: ConnectionView = { id: CONNECTION_ID, source: 'oauth', status: 'needs_reauth', expiresAt: null, lastCheckedAt: null, lastError: 'x' };
    repository.recordCheck.mockResolvedValue();
    audit.record.mockResolvedValue();
    credentials.views.calledWith(ACCOUNT_ID, [CONNECTION_ID]).mockResolvedValue(new Map([[CONNECTION_ID, view]]));
    events.publish.mockReturnValue();
    domainEvents.emit.mockReturnValue();
    return view;
  }

  describe('a credential Meta no longer accepts', () => {
    it('goes to "reconnect" when debug_token says it is invalid, without the token in the reason', async () => {
      graph.debugToken.calledWith(TOKEN).mockResolvedValue(aDebugToken({ is_valid: false, error: { code: 190, message: `Token ${TOKEN} was revoked` } }));
      const view = givenWrites();

      const outcome = await service.check(connection, WRITE);

      const reason = 'Meta reports the token invalid: Token [redacted] was revoked';
      expect(outcome).toEqual({ kind: 'needs_reauth', reason });
      expect(repository.recordCheck).toHaveBeenCalledWith(CONNECTION_ID, {
        status: 'needs_reauth',
        lastError: reason,
        lastCheckedAt: clock.now(),
        checkFailures: 0,
        lastCheckFailure: null,
        nextCheckAt: null,
      });
      expect(audit.record).toHaveBeenCalledWith(CHECKER, 'connection.needs_reauth', `Meta connection ${CONNECTION_ID}`, reason);
      expect(events.publish).toHaveBeenCalledWith(ACCOUNT_ID, { type: 'connection.updated', connection: view });
      // Its numbers cannot send any more: the phone-numbers module moves the active number.
      expect(domainEvents.emit).toHaveBeenCalledWith('connection.unusable', { accountId: ACCOUNT_ID, connectionId: CONNECTION_ID });
    });

    it('writes nothing in a dry run', async () => {
      graph.debugToken.mockResolvedValue(aDebugToken({ is_valid: false }));
      await expect(service.check(connection, DRY_RUN)).resolves.toEqual({ kind: 'needs_reauth', reason: 'Meta reports the token invalid: no reason given' });
      expect(repository.recordCheck).not.toHaveBeenCalled();
    });

    it('goes to "reconnect" when debug_token is refused and the tenant token is refused too', async () => {
      graph.debugToken.mockRejectedValue(aGraphError('credential', { message: 'app token refused' }));
      graph.getMe.calledWith(TOKEN).mockRejectedValue(aGraphError('credential', { message: 'session expired' }));
      givenWrites();
      await expect(service.check(connection, WRITE)).resolves.toEqual({ kind: 'needs_reauth', reason: 'session expired' });
    });

    it('is not condemned by a refused debug_token alone: when the token itself works, the check failed and is retried', async () => {
      graph.debugToken.mockRejectedValue(aGraphError('credential', { message: 'app token refused' }));
      graph.getMe.calledWith(TOKEN).mockResolvedValue({ id: 'meta-user-1' });

      await expect(service.check(connection, WRITE)).resolves.toEqual({
        kind: 'failed',
        reason: 'debug_token was refused, but the token itself works: app token refused',
        retryable: true,
      });
      expect(repository.recordCheck).not.toHaveBeenCalled();
    });

    it('goes to "reconnect" when the grant no longer covers a WABA connected with it, naming it', async () => {
      connection = { ...connection, grantedWabaIds: [WABA_ID, SECOND_WABA] };
      graph.debugToken.mockResolvedValue(aDebugToken({}, [WABA_ID]));
      numbers.wabaIdsServedBy.calledWith(CONNECTION_ID).mockResolvedValue([WABA_ID, SECOND_WABA]);
      givenWrites();

      await expect(service.check(connection, WRITE)).resolves.toEqual({ kind: 'needs_reauth', reason: `Meta no longer grants access to WhatsApp Business Account ${SECOND_WABA}` });
    });
  });

  describe('a check that could not tell', () => {
    it('fails for good, asking nobody, when the stored token cannot be decrypted', async () => {
      const outcome = await service.check({ ...connection, tokenFingerprint: sha256Hex('another token') }, WRITE);
      expect(outcome).toEqual({ kind: 'failed', reason: expect.stringMatching(/^stored token cannot be decrypted: /), retryable: false });
    });

    it.each([
      ['a Meta outage', aGraphError('temporary', { message: 'Graph is down' }), { kind: 'failed', reason: 'Graph is down', retryable: true }],
      ['an unexpected error', new Error('socket hang up'), { kind: 'failed', reason: 'unexpected error: socket hang up', retryable: true }],
      ['a rate limit', aGraphError('rate_limited', { message: 'slow down', retryAfterMs: 5 * MINUTE }), { kind: 'rate_limited', reason: 'slow down', retryAfterMs: 5 * MINUTE }],
      ['a rate limit without a wait', aGraphError('rate_limited', { message: 'slow down', retryAfterMs: undefined }), { kind: 'rate_limited', reason: 'slow down', retryAfterMs: 60_000 }],
    ])('leaves the credential as it was after %s', async (_case, error, expected) => {
      graph.debugToken.mockRejectedValue(error);
      await expect(service.check(connection, WRITE)).resolves.toEqual(expected);
      expect(repository.recordCheck).not.toHaveBeenCalled();
    });

    it('schedules the next try after a failure by how many came in a row', async () => {
      repository.recordFailure.mockResolvedValue();
      await service.recordFailure({ ...connection, checkFailures: 3 }, 'Graph is down');
      expect(repository.recordFailure).toHaveBeenCalledWith(CONNECTION_ID, 'Graph is down', nextCheckAfterFailure(4, clock.now()));
      expect(nextCheckAfterFailure(4, clock.now()).getTime() - clock.now().getTime()).toBe(8 * MINUTE);
    });
  });

  describe('a valid credential', () => {
    it('records what Meta said and when to look again, and tells nobody when nothing they see changed', async () => {
      graph.debugToken.mockResolvedValue(aDebugToken({ expires_at: 0, scopes: ['whatsapp_business_management'] }));
      repository.recordCheck.mockResolvedValue();

      await expect(service.check(connection, WRITE)).resolves.toEqual({ kind: 'healthy', status: 'active' });

      expect(repository.recordCheck).toHaveBeenCalledWith(CONNECTION_ID, {
        tokenType: 'SYSTEM_USER',
        scopes: ['whatsapp_business_management'],
        grantedWabaIds: [WABA_ID],
        expiresAt: null,
        dataAccessExpiresAt: null,
        lastCheckedAt: clock.now(),
        checkFailures: 0,
        lastCheckFailure: null,
        nextCheckAt: nextCheckForValid(null, clock.now()),
        status: 'active',
        lastError: null,
      });
    });

    it.each([
      ['its status', { status: 'expiring' as const }],
      ['its last error', { lastError: 'was refused' }],
      ['its expiry', { expiresAt: new Date('2026-12-25T12:00:00Z') }],
    ])('tells the tenant when %s changed', async (_case, before) => {
      graph.debugToken.mockResolvedValue(aDebugToken({ expires_at: 0 }));
      const view = givenWrites();
      await service.check({ ...connection, ...before }, WRITE);
      expect(events.publish).toHaveBeenCalledWith(ACCOUNT_ID, { type: 'connection.updated', connection: view });
    });

    it("keeps the grant it knew when Meta leaves target ids out, and takes Meta's list when it is given", async () => {
      repository.recordCheck.mockResolvedValue();
      graph.debugToken.mockResolvedValueOnce(aDebugToken({}, null)).mockResolvedValueOnce(aDebugToken({}, [WABA_ID, SECOND_WABA]));

      await service.check(connection, WRITE);
      await service.check(connection, WRITE);

      expect(repository.recordCheck.mock.calls.map(([, result]) => result.grantedWabaIds)).toEqual([[WABA_ID], [WABA_ID, SECOND_WABA]]);
    });

    it('does not send a tenant to reconnect when the WABA that left the grant was not connected', async () => {
      connection = { ...connection, grantedWabaIds: [WABA_ID, SECOND_WABA] };
      graph.debugToken.mockResolvedValue(aDebugToken({}, [WABA_ID]));
      numbers.wabaIdsServedBy.mockResolvedValue([WABA_ID]);
      repository.recordCheck.mockResolvedValue();
      await expect(service.check(connection, WRITE)).resolves.toEqual({ kind: 'healthy', status: 'active' });
    });
  });

  describe('extending a token near its end', () => {
    it.each([
      ['a system-user token for 60 days', 'SYSTEM_USER', true],
      ['a user token', 'USER', false],
    ])('exchanges %s, stores the new token under its own fingerprint and audits it', async (_case, type, sixtyDays) => {
      graph.debugToken.mockResolvedValue(aDebugToken({ type, expires_at: unix(inDays(10)) }));
      graph.exchangeForLongLivedToken.calledWith(TOKEN, { expiresIn60Days: sixtyDays }).mockResolvedValue({ access_token: NEW_TOKEN, expires_in: 60 * 86_400 });
      givenWrites();

      const outcome = await service.check(connection, WRITE);

      const expiresAt = inDays(60);
      expect(outcome).toEqual({ kind: 'extended', expiresAt });
      expect(repository.recordCheck).toHaveBeenCalledWith(
        CONNECTION_ID,
        expect.objectContaining({
          encryptedToken: `enc(${NEW_TOKEN}|${tokenBinding(ACCOUNT_ID, sha256Hex(NEW_TOKEN))})`,
          tokenFingerprint: sha256Hex(NEW_TOKEN),
          expiresAt,
          status: 'active',
          nextCheckAt: nextCheckForValid(expiresAt, clock.now()),
        }),
      );
      expect(audit.record).toHaveBeenCalledWith(CHECKER, 'connection.extended', `Meta connection ${CONNECTION_ID}`, `expires ${expiresAt.toISOString()}`);
    });

    it('does not extend a token still outside the 14-day window', async () => {
      graph.debugToken.mockResolvedValue(aDebugToken({ type: 'USER', expires_at: unix(inDays(20)) }));
      givenWrites();
      await expect(service.check(connection, WRITE)).resolves.toEqual({ kind: 'healthy', status: 'active' });
    });

    it('does not try to extend a token kind Meta does not exchange', async () => {
      graph.debugToken.mockResolvedValue(aDebugToken({ type: 'PAGE', expires_at: unix(inDays(3)) }));
      givenWrites();
      await expect(service.check(connection, WRITE)).resolves.toEqual({ kind: 'healthy', status: 'expiring' });
    });

    it('keeps a token Meta would not extend, called "expiring" in its last week', async () => {
      graph.debugToken.mockResolvedValue(aDebugToken({ type: 'USER', expires_at: unix(inDays(3)) }));
      graph.exchangeForLongLivedToken.mockRejectedValue(aGraphError('invalid'));
      givenWrites();

      await expect(service.check(connection, WRITE)).resolves.toEqual({ kind: 'healthy', status: 'expiring' });
      expect(repository.recordCheck).toHaveBeenCalledWith(CONNECTION_ID, expect.objectContaining({ status: 'expiring', expiresAt: inDays(3) }));
      expect(audit.record).not.toHaveBeenCalled();
    });

    it('sends a tenant to reconnect when the exchange shows the token is dead, and backs off when rate limited', async () => {
      graph.debugToken.mockResolvedValue(aDebugToken({ type: 'USER', expires_at: unix(inDays(3)) }));
      graph.exchangeForLongLivedToken
        .mockRejectedValueOnce(aGraphError('credential', { message: 'expired' }))
        .mockRejectedValueOnce(aGraphError('rate_limited', { message: 'slow', retryAfterMs: MINUTE }));
      givenWrites();

      await expect(service.check(connection, WRITE)).resolves.toEqual({ kind: 'needs_reauth', reason: 'expired' });
      await expect(service.check(connection, WRITE)).resolves.toEqual({ kind: 'rate_limited', reason: 'slow', retryAfterMs: MINUTE });
    });

    it('says it would extend in a dry run, and exchanges nothing', async () => {
      graph.debugToken.mockResolvedValue(aDebugToken({ type: 'USER', expires_at: unix(inDays(10)) }));
      await expect(service.check(connection, DRY_RUN)).resolves.toEqual({ kind: 'extended', expiresAt: inDays(10) });
    });
  });
});
