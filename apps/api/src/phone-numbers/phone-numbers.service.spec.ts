import type { MockProxy } from 'jest-mock-extended';
import { Types } from 'mongoose';
import { toPhoneNumberFacts, type MetaGraphClient } from '@waba/meta-graph';
import type { AuditService } from '../audit/audit.service';
import { pinBinding, type TokenCipher } from '../common/crypto/token-cipher';
import { ConflictError, InvalidRequestError, NotFoundError } from '../common/errors/domain-errors';
import type { DomainEvents } from '../common/events/domain-events';
import type { CredentialsService } from '../credentials/credentials.service';
import type { RealtimePublisher } from '../realtime/realtime-publisher';
import { readableCipher } from '../testing/doubles';
import { ACCOUNT_ID, aGraphError, aGraphPhoneNumber, aGraphWaba, aPhoneNumberRecord, aTenant, aWabaRecord, CONNECTION_ID, OTHER_ACCOUNT_ID, PHONE_NUMBER_ID, WABA_ID } from '../testing/factories';
import { FakeClock } from '../testing/fake-clock';
import { strictMock } from '../testing/strict-mock';
import type { PhoneNumberRecord, PhoneNumbersRepository, WabaRecord } from './phone-numbers.repository';
import { describeGraphError, PhoneNumbersService } from './phone-numbers.service';
import type { RegistrationAttemptsRepository } from './registration-attempts.repository';
import { RegistrationBudgetService } from './registration-budget.service';

const tenant = aTenant();
const TOKEN = 'tenant-token';
const SECOND_ID = '2000000000000002';

describe('PhoneNumbersService', () => {
  let clock: FakeClock;
  let repository: MockProxy<PhoneNumbersRepository>;
  let credentials: MockProxy<CredentialsService>;
  let graph: MockProxy<MetaGraphClient>;
  let cipher: MockProxy<TokenCipher>;
  let audit: MockProxy<AuditService>;
  let events: MockProxy<RealtimePublisher>;
  let domainEvents: MockProxy<DomainEvents>;
  let attempts: MockProxy<RegistrationAttemptsRepository>;
  let service: PhoneNumbersService;
  /** The tenant's numbers as the repository holds them; updates write here. */
  let stored: Map<string, PhoneNumberRecord>;

  beforeEach(() => {
    clock = new FakeClock('2026-11-25T12:00:00Z');
    repository = strictMock<PhoneNumbersRepository>('repository');
    credentials = strictMock<CredentialsService>('credentials');
    graph = strictMock<MetaGraphClient>('graph');
    cipher = readableCipher();
    audit = strictMock<AuditService>('audit');
    events = strictMock<RealtimePublisher>('events');
    domainEvents = strictMock<DomainEvents>('domainEvents');
    attempts = strictMock<RegistrationAttemptsRepository>('attempts');
    attempts.addAttempt.mockResolvedValue();
    service = new PhoneNumbersService(repository, credentials, graph, cipher, audit, events, clock, domainEvents, new RegistrationBudgetService(attempts, graph, clock));

    stored = new Map();
    repository.updateNumber.mockImplementation(async (_account, id, patch) => {
      const found = stored.get(id);
      if (!found) return null;
      const updated = { ...found, ...patch };
      stored.set(id, updated);
      return updated;
    });
    repository.findNumber.mockImplementation(async (_account, id) => stored.get(id) ?? null);
    repository.listNumbers.mockImplementation(async () => [...stored.values()]);
    repository.listNumbersOfWaba.mockImplementation(async (_account, wabaId) => [...stored.values()].filter((n) => n.wabaId === wabaId));
    audit.record.mockResolvedValue();
    events.publish.mockReturnValue();
    credentials.tokenOf.calledWith(ACCOUNT_ID, CONNECTION_ID).mockResolvedValue(TOKEN);
    // What the active-number check reads (each number's status from its WABA and credential) and may write.
    repository.listWabas.mockResolvedValue([aWabaRecord()]);
    credentials.views.mockResolvedValue(new Map([[CONNECTION_ID, { id: CONNECTION_ID, source: 'oauth' as const, status: 'active' as const, expiresAt: null, lastCheckedAt: null, lastError: null }]]));
    repository.setActive.mockResolvedValue();
    repository.clearActive.mockResolvedValue();
    domainEvents.emit.mockReturnValue();
  });

  function givenNumbers(...records: PhoneNumberRecord[]): void {
    for (const record of records) stored.set(record.phoneNumberId, record);
  }

  describe('availability', () => {
    it('tells numbers connected here, held by another tenant, and free apart', async () => {
      repository.wabaIdsHeldByOthers.mockResolvedValue([]);
      repository.ownership.mockResolvedValue([
        { phoneNumberId: 'mine-connected', accountId: ACCOUNT_ID, state: 'connected' },
        { phoneNumberId: 'mine-failed', accountId: ACCOUNT_ID, state: 'failed' },
        { phoneNumberId: 'theirs-pending', accountId: OTHER_ACCOUNT_ID, state: 'pending' },
        { phoneNumberId: 'theirs-disconnected', accountId: OTHER_ACCOUNT_ID, state: 'disconnected' },
      ]);
      const ids = ['mine-connected', 'mine-failed', 'theirs-pending', 'theirs-disconnected', 'never-seen'];

      const availability = await service.availability(
        ACCOUNT_ID,
        ids.map((phoneNumberId) => ({ phoneNumberId, wabaId: WABA_ID })),
      );

      expect(Object.fromEntries(availability)).toEqual({
        'mine-connected': 'connected_here',
        'mine-failed': 'available',
        'theirs-pending': 'taken',
        'theirs-disconnected': 'available',
        'never-seen': 'available',
      });
    });
  });

  it('calls every number of a WABA another tenant holds taken', async () => {
    repository.wabaIdsHeldByOthers.calledWith(ACCOUNT_ID, [WABA_ID]).mockResolvedValue([WABA_ID]);
    repository.ownership.mockResolvedValue([]);
    const availability = await service.availability(ACCOUNT_ID, [{ phoneNumberId: PHONE_NUMBER_ID, wabaId: WABA_ID }]);
    expect(availability.get(PHONE_NUMBER_ID)).toBe('taken');
  });

  describe('connectSelection', () => {
    /** The WABA claims for this tenant; each number claims as a pending record unless `taken`. */
    function givenClaims(waba: WabaRecord | null, taken: string[] = []): void {
      repository.claimWaba.mockResolvedValue(waba);
      repository.claimNumber.mockImplementation(async (_account, facts) => {
        if (taken.includes(facts.phoneNumberId)) return null;
        const record = aPhoneNumberRecord({ ...facts, connectionId: new Types.ObjectId(facts.connectionId), state: 'pending', registration: 'pending', isActive: false, connectedAt: null });
        stored.set(record.phoneNumberId, record);
        return record;
      });
    }

    it('fails every number of a WABA another tenant holds as a conflict, and asks Meta nothing', async () => {
      givenClaims(null);
      const outcomes = await service.connectSelection(tenant, CONNECTION_ID, 'oauth', [{ waba: aGraphWaba(), numbers: [toPhoneNumberFacts(aGraphPhoneNumber())] }]);

      expect(outcomes).toEqual([{ phoneNumberId: PHONE_NUMBER_ID, state: 'failed', message: 'This WhatsApp Business Account is connected to another account', takenByAnotherTenant: true }]);
      expect(repository.claimNumber).not.toHaveBeenCalled();
      expect(domainEvents.emit).not.toHaveBeenCalled();
    });

    it('claims the WABA with what Meta said about it and announces it', async () => {
      givenClaims(aWabaRecord());
      await service.connectSelection(tenant, CONNECTION_ID, 'oauth', [{ waba: aGraphWaba(), numbers: [toPhoneNumberFacts(aGraphPhoneNumber())] }]);

      expect(repository.claimWaba).toHaveBeenCalledWith(ACCOUNT_ID, { wabaId: WABA_ID, connectionId: CONNECTION_ID, name: 'Acme WABA', ownerBusinessId: 'business-1', ownerBusinessName: 'Acme Ltd' });
      expect(domainEvents.emit).toHaveBeenCalledWith('waba.connected', { accountId: ACCOUNT_ID, wabaId: WABA_ID });
    });

    it('fails a number another tenant holds, and still connects the others of the WABA', async () => {
      givenClaims(aWabaRecord(), [SECOND_ID]);
      const outcomes = await service.connectSelection(tenant, CONNECTION_ID, 'oauth', [
        { waba: aGraphWaba(), numbers: [toPhoneNumberFacts(aGraphPhoneNumber()), toPhoneNumberFacts(aGraphPhoneNumber({ id: SECOND_ID }))] },
      ]);

      expect(outcomes).toEqual([
        { phoneNumberId: SECOND_ID, state: 'failed', message: 'This number is connected to another account', takenByAnotherTenant: true },
        { phoneNumberId: PHONE_NUMBER_ID, state: 'connected' },
      ]);
    });

    it('subscribes our app to a WABA not subscribed yet, before any number is marked connected', async () => {
      givenClaims(aWabaRecord({ subscribed: false }));
      graph.subscribeApp.calledWith(TOKEN, WABA_ID).mockResolvedValue({ success: true });
      repository.updateWaba.mockResolvedValue();

      await service.connectSelection(tenant, CONNECTION_ID, 'oauth', [{ waba: aGraphWaba(), numbers: [toPhoneNumberFacts(aGraphPhoneNumber())] }]);

      expect(repository.updateWaba).toHaveBeenCalledWith(ACCOUNT_ID, WABA_ID, { subscribed: true });
      expect(audit.record).toHaveBeenCalledWith(tenant, 'waba.subscribed', `WABA ${WABA_ID}`, 'Acme WABA');
      const subscribed = graph.subscribeApp.mock.invocationCallOrder[0];
      const connected = repository.updateNumber.mock.calls.findIndex(([, , patch]) => patch.state === 'connected');
      expect(subscribed).toBeLessThan(repository.updateNumber.mock.invocationCallOrder[connected]);
    });

    it("fails the WABA's numbers in the catalogue's words when subscribing fails; the registration made at the same time is kept, so a retry only subscribes", async () => {
      givenClaims(aWabaRecord({ subscribed: false }));
      graph.subscribeApp.mockRejectedValue(aGraphError('permission', { code: 200, message: 'raw Graph text' }));
      graph.registerPhone.mockResolvedValue({ success: true });
      const reason = `Subscribing to the WhatsApp Business Account failed: ${describeGraphError(aGraphError('permission', { code: 200 }))}`;

      const outcomes = await service.connectSelection(tenant, CONNECTION_ID, 'oauth', [{ waba: aGraphWaba(), numbers: [toPhoneNumberFacts(aGraphPhoneNumber({ platform_type: 'NOT_APPLICABLE' }))] }]);

      expect(outcomes).toEqual([{ phoneNumberId: PHONE_NUMBER_ID, state: 'failed', message: reason }]);
      expect(reason).not.toContain('raw Graph text');
      expect(stored.get(PHONE_NUMBER_ID)).toMatchObject({ state: 'failed', registration: 'registered', lastError: reason });
    });

    it('sends the subscription and the registration to Meta together, not one after the other', async () => {
      givenClaims(aWabaRecord({ subscribed: false }));
      let subscribed: () => void = () => undefined;
      graph.subscribeApp.mockReturnValue(new Promise((resolve) => (subscribed = () => resolve({ success: true }))));
      repository.updateWaba.mockResolvedValue();
      graph.registerPhone.mockResolvedValue({ success: true });

      const connecting = service.connectSelection(tenant, CONNECTION_ID, 'oauth', [{ waba: aGraphWaba(), numbers: [toPhoneNumberFacts(aGraphPhoneNumber({ platform_type: 'NOT_APPLICABLE' }))] }]);
      await waitUntil(() => graph.registerPhone.mock.calls.length > 0);
      expect(graph.registerPhone).toHaveBeenCalledTimes(1);
      expect(stored.get(PHONE_NUMBER_ID)?.state).not.toBe('connected');
      subscribed();

      expect(await connecting).toEqual([{ phoneNumberId: PHONE_NUMBER_ID, state: 'connected' }]);
    });

    it("marks a number already on Cloud API connected without registering it, at the clock's time", async () => {
      givenClaims(aWabaRecord());
      await service.connectSelection(tenant, CONNECTION_ID, 'embedded_signup', [{ waba: aGraphWaba(), numbers: [toPhoneNumberFacts(aGraphPhoneNumber({ platform_type: 'CLOUD_API' }))] }]);

      expect(repository.updateNumber).toHaveBeenCalledWith(ACCOUNT_ID, PHONE_NUMBER_ID, { registration: 'not_needed' });
      expect(stored.get(PHONE_NUMBER_ID)).toMatchObject({ state: 'connected', registration: 'not_needed', lastError: null, connectedAt: clock.now() });
      expect(audit.record).toHaveBeenCalledWith(tenant, 'phone_number.connected', 'Number +44 7700 900123', `WABA ${WABA_ID}`);
      expect(events.publish).toHaveBeenCalledWith(ACCOUNT_ID, { type: 'whatsapp.changed', reason: 'connected' });
    });

    it('never registers a number on the WhatsApp Business app (coexistence), even one Meta reports NOT_APPLICABLE, and hands it to the sync', async () => {
      givenClaims(aWabaRecord());
      const appNumber = aGraphPhoneNumber({ is_on_biz_app: true, platform_type: 'NOT_APPLICABLE', last_onboarded_time: '2026-11-25T11:30:00+0000' });
      const outcomes = await service.connectSelection(tenant, CONNECTION_ID, 'embedded_signup', [{ waba: aGraphWaba(), numbers: [toPhoneNumberFacts(appNumber)] }]);

      expect(outcomes).toEqual([{ phoneNumberId: PHONE_NUMBER_ID, state: 'connected' }]);
      expect(graph.registerPhone).not.toHaveBeenCalled();
      expect(stored.get(PHONE_NUMBER_ID)).toMatchObject({ state: 'connected', registration: 'not_needed', isOnBizApp: true });
      expect(domainEvents.emit).toHaveBeenCalledWith('coexistence.connected', {
        accountId: ACCOUNT_ID,
        phoneNumberId: PHONE_NUMBER_ID,
        wabaId: WABA_ID,
        connectionId: CONNECTION_ID,
        displayPhone: '+44 7700 900123',
        onboardedAt: new Date('2026-11-25T11:30:00Z'),
      });
    });

    it.each([
      ['platform', { platform_type: 'NOT_APPLICABLE' as const }],
      ['throughput', { throughput: { level: 'NOT_APPLICABLE' as const } }],
    ])('registers a number whose %s is NOT_APPLICABLE with a six-digit PIN it stored, encrypted, first', async (_field, facts) => {
      givenClaims(aWabaRecord());
      graph.registerPhone.mockResolvedValue({ success: true });

      await service.connectSelection(tenant, CONNECTION_ID, 'oauth', [{ waba: aGraphWaba(), numbers: [toPhoneNumberFacts(aGraphPhoneNumber(facts))] }]);

      expect(graph.registerPhone).toHaveBeenCalledTimes(1);
      const [token, id, pin] = graph.registerPhone.mock.calls[0];
      expect([token, id]).toEqual([TOKEN, PHONE_NUMBER_ID]);
      expect(pin).toMatch(/^\d{6}$/);
      const pinStored = repository.updateNumber.mock.calls.findIndex(([, , patch]) => patch.encryptedPin === `enc(${pin}|${pinBinding(ACCOUNT_ID, PHONE_NUMBER_ID)})`);
      expect(pinStored).toBeGreaterThanOrEqual(0);
      expect(repository.updateNumber.mock.invocationCallOrder[pinStored]).toBeLessThan(graph.registerPhone.mock.invocationCallOrder[0]);
      expect(stored.get(PHONE_NUMBER_ID)).toMatchObject({ state: 'connected', registration: 'registered' });
    });

    it('registers again with the PIN stored by an earlier attempt, not a new one', async () => {
      givenClaims(aWabaRecord());
      repository.claimNumber.mockImplementation(async (_account, facts) => {
        const record = aPhoneNumberRecord({
          ...facts,
          connectionId: new Types.ObjectId(facts.connectionId),
          state: 'failed',
          registration: 'failed',
          encryptedPin: `enc(123456|${pinBinding(ACCOUNT_ID, facts.phoneNumberId)})`,
        });
        stored.set(record.phoneNumberId, record);
        return record;
      });
      graph.registerPhone.mockResolvedValue({ success: true });

      await service.connectSelection(tenant, CONNECTION_ID, 'oauth', [{ waba: aGraphWaba(), numbers: [toPhoneNumberFacts(aGraphPhoneNumber({ platform_type: 'NOT_APPLICABLE' }))] }]);

      expect(graph.registerPhone).toHaveBeenCalledWith(TOKEN, PHONE_NUMBER_ID, '123456');
      expect(attempts.addAttempt).toHaveBeenCalledWith(ACCOUNT_ID, { phoneNumberId: PHONE_NUMBER_ID, kind: 'register', outcome: 'ok', at: clock.now() });
    });

    it('tries registering exactly once: a refusal fails the number and leaves it unconnected', async () => {
      givenClaims(aWabaRecord());
      graph.registerPhone.mockRejectedValue(aGraphError('blocked', { code: 133016 }));

      const [outcome] = await service.connectSelection(tenant, CONNECTION_ID, 'oauth', [{ waba: aGraphWaba(), numbers: [toPhoneNumberFacts(aGraphPhoneNumber({ platform_type: 'NOT_APPLICABLE' }))] }]);

      expect(graph.registerPhone).toHaveBeenCalledTimes(1);
      expect(outcome).toEqual({ phoneNumberId: PHONE_NUMBER_ID, state: 'failed', message: expect.stringMatching(/^Registering the number for the Cloud API failed: /) });
      expect(stored.get(PHONE_NUMBER_ID)).toMatchObject({ state: 'failed', registration: 'failed', connectedAt: null });
      // Meta's block is counted against the number's budget like any attempt.
      expect(attempts.addAttempt).toHaveBeenCalledWith(ACCOUNT_ID, { phoneNumberId: PHONE_NUMBER_ID, kind: 'register', outcome: 'limited', at: clock.now() });
    });

    it('leaves a number that is already connected as it is', async () => {
      givenClaims(aWabaRecord());
      repository.claimNumber.mockResolvedValue(aPhoneNumberRecord({ state: 'connected' }));

      const outcomes = await service.connectSelection(tenant, CONNECTION_ID, 'oauth', [{ waba: aGraphWaba(), numbers: [toPhoneNumberFacts(aGraphPhoneNumber())] }]);

      expect(outcomes).toEqual([{ phoneNumberId: PHONE_NUMBER_ID, state: 'connected' }]);
      expect(repository.updateNumber).not.toHaveBeenCalled();
    });

    it('makes the first connected number active when the tenant has none', async () => {
      givenClaims(aWabaRecord());

      await service.connectSelection(tenant, CONNECTION_ID, 'oauth', [{ waba: aGraphWaba(), numbers: [toPhoneNumberFacts(aGraphPhoneNumber())] }]);

      expect(repository.setActive).toHaveBeenCalledWith(ACCOUNT_ID, PHONE_NUMBER_ID);
    });
  });

  describe('selectActive', () => {
    it('refuses a number that is not connected', async () => {
      givenNumbers(aPhoneNumberRecord({ state: 'failed', isActive: false }));
      await expect(service.selectActive(tenant, PHONE_NUMBER_ID)).rejects.toThrow(InvalidRequestError);
    });

    it('refuses a number the tenant does not have', async () => {
      await expect(service.selectActive(tenant, PHONE_NUMBER_ID)).rejects.toThrow(NotFoundError);
    });

    it('asks before making a flagged number the active one, and records that the warning was accepted', async () => {
      givenNumbers(aPhoneNumberRecord({ isActive: false, metaStatus: 'FLAGGED', qualityRating: 'RED' }));

      const refused = service.selectActive(tenant, PHONE_NUMBER_ID);
      await expect(refused).rejects.toThrow(ConflictError);
      await expect(refused).rejects.toMatchObject({ code: 'number_needs_warning' });
      expect(repository.setActive).not.toHaveBeenCalled();

      await service.selectActive(tenant, PHONE_NUMBER_ID, { acceptWarning: true });
      expect(repository.setActive).toHaveBeenCalledWith(ACCOUNT_ID, PHONE_NUMBER_ID);
      expect(audit.record).toHaveBeenCalledWith(tenant, 'phone_number.activated', 'Number +44 7700 900123', expect.stringMatching(/^Chosen despite the warning: /));
    });

    it('makes a connected number the active one, audits it and tells the tenant', async () => {
      givenNumbers(aPhoneNumberRecord({ isActive: false }));

      await expect(service.selectActive(tenant, PHONE_NUMBER_ID)).resolves.toMatchObject({ phoneNumberId: PHONE_NUMBER_ID, isActive: true });
      expect(repository.setActive).toHaveBeenCalledWith(ACCOUNT_ID, PHONE_NUMBER_ID);
      expect(audit.record).toHaveBeenCalledWith(tenant, 'phone_number.activated', 'Number +44 7700 900123', undefined);
      expect(events.publish).toHaveBeenCalledWith(ACCOUNT_ID, { type: 'whatsapp.changed', reason: 'active-number' });
    });
  });

  describe('refresh', () => {
    beforeEach(() => givenNumbers(aPhoneNumberRecord()));

    it('stores what Meta now says about the number and when it was read', async () => {
      graph.getPhoneNumber.calledWith(TOKEN, PHONE_NUMBER_ID).mockResolvedValue(aGraphPhoneNumber({ quality_rating: 'YELLOW', verified_name: 'Acme Help' }));
      const view = await service.refresh(tenant, PHONE_NUMBER_ID);
      expect(view).toMatchObject({ qualityRating: 'YELLOW', verifiedName: 'Acme Help', lastRefreshedAt: clock.now().toISOString(), lastError: null });
    });

    it('marks the credential for reconnecting when Meta refuses it, and says a new consent is needed', async () => {
      graph.getPhoneNumber.mockRejectedValue(aGraphError('credential'));
      credentials.markNeedsReauth.mockResolvedValue();
      const connection = { id: CONNECTION_ID, source: 'oauth' as const, status: 'needs_reauth' as const, expiresAt: null, lastCheckedAt: null, lastError: 'x' };
      credentials.views.mockResolvedValue(new Map([[CONNECTION_ID, connection]]));

      const refused = service.refresh(tenant, PHONE_NUMBER_ID);

      await expect(refused).rejects.toThrow(InvalidRequestError);
      await expect(refused).rejects.toMatchObject({ code: 'meta_credential_rejected' });
      expect(credentials.markNeedsReauth).toHaveBeenCalledWith(ACCOUNT_ID, CONNECTION_ID, describeGraphError(aGraphError('credential')));
      expect(events.publish).toHaveBeenCalledWith(ACCOUNT_ID, { type: 'connection.updated', connection });
      expect(stored.get(PHONE_NUMBER_ID)?.lastError).toMatch(/^Meta could not be reached for this number: /);
    });

    it('keeps the credential as it is when Meta fails for a passing reason', async () => {
      graph.getPhoneNumber.mockRejectedValue(aGraphError('temporary'));
      const refused = service.refresh(tenant, PHONE_NUMBER_ID);
      await expect(refused).rejects.toThrow(InvalidRequestError);
      await expect(refused).rejects.toMatchObject({ code: undefined });
      expect(credentials.markNeedsReauth).not.toHaveBeenCalled();
    });
  });

  describe('disconnect', () => {
    beforeEach(() => {
      repository.updateWaba.mockResolvedValue();
    });

    it.each([{}, { wabaId: WABA_ID, phoneNumberId: PHONE_NUMBER_ID }])('wants either a WABA or a number, not %p', async (request) => {
      await expect(service.disconnect(tenant, request)).rejects.toThrow(new InvalidRequestError('Give either wabaId or phoneNumberId'));
    });

    it('disconnects one number and keeps the WABA while another number is still on it', async () => {
      givenNumbers(aPhoneNumberRecord(), aPhoneNumberRecord({ phoneNumberId: SECOND_ID, isActive: false }));
      repository.findWaba.calledWith(ACCOUNT_ID, WABA_ID).mockResolvedValue(aWabaRecord());

      await service.disconnect(tenant, { phoneNumberId: PHONE_NUMBER_ID });

      expect(stored.get(PHONE_NUMBER_ID)).toMatchObject({ state: 'disconnected', disconnectedAt: clock.now() });
      expect(stored.get(SECOND_ID)?.state).toBe('connected');
      // The active number left: the one still connected takes its place, and the tenant is told.
      expect(repository.setActive).toHaveBeenCalledWith(ACCOUNT_ID, SECOND_ID);
      expect(audit.record).toHaveBeenCalledWith(tenant, 'phone_number.active_changed', 'Number +44 7700 900123', expect.any(String));
      expect(domainEvents.emit).toHaveBeenCalledWith('active-number.changed', expect.objectContaining({ accountId: ACCOUNT_ID, phoneNumberId: SECOND_ID, occurredAt: clock.now() }));
      expect(graph.unsubscribeApp).not.toHaveBeenCalled();
      expect(repository.updateWaba).not.toHaveBeenCalled();
      expect(domainEvents.emit).not.toHaveBeenCalledWith('waba.disconnected', expect.anything());
      expect(events.publish).toHaveBeenCalledWith(ACCOUNT_ID, { type: 'whatsapp.changed', reason: 'disconnected' });
    });

    it('unsubscribes our app and releases the WABA when its last number goes', async () => {
      givenNumbers(aPhoneNumberRecord());
      repository.findWaba.mockResolvedValue(aWabaRecord({ subscribed: true }));
      graph.unsubscribeApp.calledWith(TOKEN, WABA_ID).mockResolvedValue({ success: true });

      await service.disconnect(tenant, { wabaId: WABA_ID });

      expect(repository.updateWaba).toHaveBeenCalledWith(ACCOUNT_ID, WABA_ID, { state: 'disconnected', subscribed: false, disconnectedAt: clock.now() });
      expect(audit.record).toHaveBeenCalledWith(tenant, 'waba.disconnected', `WABA ${WABA_ID}`, undefined);
      // What other modules keep about the WABA (its templates) goes with it.
      expect(domainEvents.emit).toHaveBeenCalledWith('waba.disconnected', { accountId: ACCOUNT_ID, wabaId: WABA_ID });
    });

    it('releases the WABA even when Meta refuses the unsubscribe, and the audit says so', async () => {
      givenNumbers(aPhoneNumberRecord());
      repository.findWaba.mockResolvedValue(aWabaRecord({ subscribed: true }));
      graph.unsubscribeApp.mockRejectedValue(aGraphError('temporary'));

      await service.disconnect(tenant, { wabaId: WABA_ID });

      expect(repository.updateWaba).toHaveBeenCalledWith(ACCOUNT_ID, WABA_ID, expect.objectContaining({ state: 'disconnected' }));
      expect(audit.record).toHaveBeenCalledWith(tenant, 'waba.disconnected', `WABA ${WABA_ID}`, expect.stringMatching(/^Meta did not confirm the unsubscribe: /));
    });

    it('refuses a WABA the tenant does not have', async () => {
      repository.findWaba.mockResolvedValue(null);
      await expect(service.disconnect(tenant, { wabaId: WABA_ID })).rejects.toThrow(NotFoundError);
    });
  });

  describe('what Meta reports by webhook', () => {
    it("revokes a WABA and its credential, in the name of Meta's webhook", async () => {
      repository.findWaba.calledWith(ACCOUNT_ID, WABA_ID).mockResolvedValue(aWabaRecord());
      repository.updateWaba.mockResolvedValue();
      credentials.markRevoked.mockResolvedValue();

      await service.revokeWaba(ACCOUNT_ID, WABA_ID, 'App removed');

      expect(repository.updateWaba).toHaveBeenCalledWith(ACCOUNT_ID, WABA_ID, { state: 'revoked', subscribed: false });
      expect(credentials.markRevoked).toHaveBeenCalledWith(ACCOUNT_ID, CONNECTION_ID, 'App removed');
      expect(audit.record).toHaveBeenCalledWith({ accountId: ACCOUNT_ID, name: 'Meta webhook' }, 'waba.revoked', `WABA ${WABA_ID}`, 'App removed');
      expect(events.publish).toHaveBeenCalledWith(ACCOUNT_ID, { type: 'whatsapp.changed', reason: 'revoked' });
    });

    it('ignores revoking or restricting a WABA the tenant does not have', async () => {
      repository.findWaba.mockResolvedValue(null);
      await service.revokeWaba(ACCOUNT_ID, WABA_ID, 'App removed');
      await service.restrictWaba(ACCOUNT_ID, WABA_ID, { event: 'ACCOUNT_RESTRICTION', explanation: 'x', at: clock.now() });
      expect(audit.record).not.toHaveBeenCalled();
    });

    it("records a restriction on the WABA's card", async () => {
      const restriction = { event: 'ACCOUNT_RESTRICTION', explanation: 'Messaging is limited', at: clock.now() };
      repository.findWaba.mockResolvedValue(aWabaRecord());
      repository.updateWaba.mockResolvedValue();

      await service.restrictWaba(ACCOUNT_ID, WABA_ID, restriction);

      expect(repository.updateWaba).toHaveBeenCalledWith(ACCOUNT_ID, WABA_ID, { restriction });
      expect(events.publish).toHaveBeenCalledWith(ACCOUNT_ID, { type: 'whatsapp.changed', reason: 'restricted' });
    });

    it('stores a number change and pushes the number to the tenant', async () => {
      givenNumbers(aPhoneNumberRecord());
      await service.applyMetaChange(ACCOUNT_ID, PHONE_NUMBER_ID, { qualityRating: 'RED' });
      expect(events.publish).toHaveBeenCalledWith(ACCOUNT_ID, { type: 'phone-number.updated', phoneNumber: expect.objectContaining({ qualityRating: 'RED' }) });
    });
  });

  describe('describeGraphError', () => {
    it('words a Graph error from the catalogue and rethrows anything else', () => {
      expect(describeGraphError(aGraphError('rate_limited', { message: 'raw' }))).not.toContain('raw');
      const bug = new TypeError('bug');
      expect(() => describeGraphError(bug)).toThrow(bug);
    });
  });
});

/** Lets pending promise callbacks run until `condition` holds (or gives up after 100 turns). */
async function waitUntil(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100 && !condition(); turn++) await new Promise((resolve) => setImmediate(resolve));
}
