import { mock, type MockProxy } from 'jest-mock-extended';
import { toPhoneNumberFacts, type MetaGraphClient } from '@waba/meta-graph';
import type { AuditService } from '../audit/audit.service';
import { sha256Hex } from '../common/crypto/sha256';
import { ConflictError, ForbiddenError, InvalidRequestError, NotFoundError, UpstreamError } from '../common/errors/domain-errors';
import type { CredentialsService } from '../credentials/credentials.service';
import type { MetricsService } from '../metrics/metrics.service';
import type { OnboardingAttemptsService } from '../onboarding-attempts/onboarding-attempts.service';
import type { NumberOutcome, PhoneNumbersService } from '../phone-numbers/phone-numbers.service';
import type { RealtimePublisher } from '../realtime/realtime-publisher';
import { metricsRunningSteps, onboardingOutcome } from '../testing/doubles';
import { ACCOUNT_ID, aConnectionRecord, aDebugToken, aGraphError, aGraphPhoneNumber, aGraphWaba, anOnboardingSession, aTenant, CONNECTION_ID, PHONE_NUMBER_ID, WABA_ID } from '../testing/factories';
import { FakeClock, HOUR } from '../testing/fake-clock';
import { strictMock } from '../testing/strict-mock';
import type { DiscoveryService } from './discovery.service';
import type { OAuthRepository, OnboardingSessionRecord } from './oauth.repository';
import { OnboardingService, rethrowAsDomainError } from './onboarding.service';

const tenant = aTenant();
const SESSION_ID = '64b0000000000000000000e1';
const ATTEMPT_ID = '64b0000000000000000000a1';
const SECOND_NUMBER = aGraphPhoneNumber({ id: '2000000000000002', display_phone_number: '+44 7700 900456' });
const OTHER_WABA = aGraphWaba({ id: '1000000000000002', name: 'Other WABA' }, [aGraphPhoneNumber({ id: '2000000000000003' })]);

describe('OnboardingService', () => {
  let clock: FakeClock;
  let repository: MockProxy<OAuthRepository>;
  let discovery: MockProxy<DiscoveryService>;
  let credentials: MockProxy<CredentialsService>;
  let phoneNumbers: MockProxy<PhoneNumbersService>;
  let graph: MockProxy<MetaGraphClient>;
  let audit: MockProxy<AuditService>;
  let events: MockProxy<RealtimePublisher>;
  let metrics: MockProxy<MetricsService>;
  let attempts: MockProxy<OnboardingAttemptsService>;
  let service: OnboardingService;

  beforeEach(() => {
    clock = new FakeClock('2026-11-25T12:00:00Z');
    repository = strictMock<OAuthRepository>('repository');
    discovery = strictMock<DiscoveryService>('discovery');
    credentials = strictMock<CredentialsService>('credentials');
    phoneNumbers = strictMock<PhoneNumbersService>('phoneNumbers');
    graph = strictMock<MetaGraphClient>('graph');
    audit = strictMock<AuditService>('audit');
    events = strictMock<RealtimePublisher>('events');
    metrics = metricsRunningSteps();
    // Recording the funnel never fails an onboarding: every call answers (attempts' own spec tests them).
    attempts = mock<OnboardingAttemptsService>();
    attempts.startQuietly.mockResolvedValue(ATTEMPT_ID);
    service = new OnboardingService(repository, discovery, credentials, phoneNumbers, graph, audit, events, clock, metrics, attempts);
  });

  /** The session in the repository; saving outcomes stores what it is given. */
  function givenSession(session: OnboardingSessionRecord): void {
    repository.findSession.calledWith(ACCOUNT_ID, SESSION_ID).mockResolvedValue(session);
    repository.saveOutcomes.mockImplementation(async (_account, _id, numbers, status) => ({ ...session, numbers, status }));
    phoneNumbers.availability.mockImplementation(async (_account, numbers) => new Map(numbers.map((n) => [n.phoneNumberId, 'available' as const])));
    audit.record.mockResolvedValue();
    events.publish.mockReturnValue();
  }

  describe('confirm', () => {
    it('refuses a session that does not exist for this tenant', async () => {
      repository.findSession.calledWith(ACCOUNT_ID, SESSION_ID).mockResolvedValue(null);
      await expect(service.confirm(tenant, SESSION_ID, [PHONE_NUMBER_ID])).rejects.toThrow(NotFoundError);
    });

    it('refuses an expired session, from the moment it expires, and connects nothing', async () => {
      const session = anOnboardingSession({ expiresAt: new Date(clock.now().getTime() + HOUR) });
      givenSession(session);
      clock.advance(HOUR);
      const refused = service.confirm(tenant, SESSION_ID, [PHONE_NUMBER_ID]);
      await expect(refused).rejects.toThrow(InvalidRequestError);
      await expect(refused).rejects.toMatchObject({ code: 'onboarding_expired' });
      expect(phoneNumbers.connectSelection).not.toHaveBeenCalled();
    });

    it('asks to connect again for a session stored before numbers were kept as our own fields', async () => {
      const stored = anOnboardingSession();
      // What such a session reads as: the Graph JSON it kept then, none of today's fields.
      givenSession({ ...stored, numbers: stored.numbers.map(({ phoneNumberId, wabaId }) => ({ phoneNumberId, wabaId, graphJson: '{}' }) as unknown as (typeof stored.numbers)[number]) });
      await expect(service.confirm(tenant, SESSION_ID, [PHONE_NUMBER_ID])).rejects.toMatchObject({ code: 'onboarding_expired', message: expect.stringMatching(/connect again/) });
      expect(phoneNumbers.connectSelection).not.toHaveBeenCalled();
    });

    it('still accepts a pick one millisecond before the session expires', async () => {
      const session = anOnboardingSession({ expiresAt: new Date(clock.now().getTime() + HOUR) });
      givenSession(session);
      phoneNumbers.connectSelection.mockResolvedValue([{ phoneNumberId: PHONE_NUMBER_ID, state: 'connected' }]);
      clock.advance(HOUR - 1);
      await expect(service.confirm(tenant, SESSION_ID, [PHONE_NUMBER_ID])).resolves.toMatchObject({ status: 'completed' });
    });

    it('refuses numbers the session did not discover, naming them', async () => {
      givenSession(anOnboardingSession());
      const refused = service.confirm(tenant, SESSION_ID, [PHONE_NUMBER_ID, '2999999999999999']);
      await expect(refused).rejects.toThrow(InvalidRequestError);
      await expect(refused).rejects.toThrow('Number 2999999999999999 is not part of this onboarding');
      expect(phoneNumbers.connectSelection).not.toHaveBeenCalled();
    });

    it('refuses the whole pick (409) when a picked number is held by another workspace, connecting nothing', async () => {
      givenSession(anOnboardingSession({}, [aGraphWaba({}, [aGraphPhoneNumber(), SECOND_NUMBER])]));
      phoneNumbers.availability.mockResolvedValue(new Map([[SECOND_NUMBER.id, 'taken' as const]]));

      const refused = service.confirm(tenant, SESSION_ID, [PHONE_NUMBER_ID, SECOND_NUMBER.id]);

      await expect(refused).rejects.toThrow(ConflictError);
      await expect(refused).rejects.toMatchObject({ code: 'number_taken', message: '+44 7700 900456 is connected to another WABA Connect workspace, so it cannot be connected here' });
      expect(phoneNumbers.connectSelection).not.toHaveBeenCalled();
    });

    it('connects only the picked numbers, grouped by their WABA, with the session credential and source', async () => {
      const session = anOnboardingSession({ source: 'embedded_signup' }, [aGraphWaba({}, [aGraphPhoneNumber(), SECOND_NUMBER]), OTHER_WABA]);
      givenSession(session);
      phoneNumbers.connectSelection.mockResolvedValue([{ phoneNumberId: SECOND_NUMBER.id, state: 'connected' }]);

      await service.confirm(tenant, SESSION_ID, [SECOND_NUMBER.id]);

      // The other WABA had no pick: it is not part of the selection at all.
      expect(phoneNumbers.connectSelection).toHaveBeenCalledWith(tenant, CONNECTION_ID, 'embedded_signup', [
        { waba: { id: WABA_ID, name: 'Acme WABA', owner_business_info: { id: 'business-1', name: 'Acme Ltd' } }, numbers: [toPhoneNumberFacts(SECOND_NUMBER)] },
      ]);
    });

    it('completes the session when every picked number connected, leaving unpicked numbers without an outcome', async () => {
      givenSession(anOnboardingSession({}, [aGraphWaba({}, [aGraphPhoneNumber(), SECOND_NUMBER])]));
      phoneNumbers.connectSelection.mockResolvedValue([{ phoneNumberId: PHONE_NUMBER_ID, state: 'connected' }]);

      const view = await service.confirm(tenant, SESSION_ID, [PHONE_NUMBER_ID]);

      expect(repository.saveOutcomes).toHaveBeenCalledWith(
        ACCOUNT_ID,
        SESSION_ID,
        [
          expect.objectContaining({ phoneNumberId: PHONE_NUMBER_ID, outcomeState: 'connected', outcomeMessage: null }),
          expect.objectContaining({ phoneNumberId: SECOND_NUMBER.id, outcomeState: null }),
        ],
        'completed',
      );
      expect(view.status).toBe('completed');
      expect(view.wabas[0].numbers.map((n) => n.outcome)).toEqual([{ state: 'connected' }, undefined]);
    });

    it('makes the session partial when a picked number failed, keeping the reason for the tenant', async () => {
      givenSession(anOnboardingSession({}, [aGraphWaba({}, [aGraphPhoneNumber(), SECOND_NUMBER])]));
      const outcomes: NumberOutcome[] = [
        { phoneNumberId: PHONE_NUMBER_ID, state: 'connected' },
        { phoneNumberId: SECOND_NUMBER.id, state: 'failed', message: 'This number is connected to another account', takenByAnotherTenant: true },
      ];
      phoneNumbers.connectSelection.mockResolvedValue(outcomes);

      const view = await service.confirm(tenant, SESSION_ID, [PHONE_NUMBER_ID, SECOND_NUMBER.id]);

      expect(repository.saveOutcomes).toHaveBeenCalledWith(ACCOUNT_ID, SESSION_ID, expect.any(Array), 'partial');
      expect(view.status).toBe('partial');
      expect(view.wabas[0].numbers[1].outcome).toEqual({ state: 'failed', message: 'This number is connected to another account' });
    });

    it('calls a session completed only when every picked number is connected, not merely not failed', async () => {
      givenSession(anOnboardingSession());
      phoneNumbers.connectSelection.mockResolvedValue([{ phoneNumberId: PHONE_NUMBER_ID, state: 'pending' }]);
      await expect(service.confirm(tenant, SESSION_ID, [PHONE_NUMBER_ID])).resolves.toMatchObject({ status: 'partial' });
    });

    it('audits the outcomes, pushes the new view to the tenant, and counts the step by the session status', async () => {
      givenSession(anOnboardingSession({ source: 'manual' }));
      phoneNumbers.connectSelection.mockResolvedValue([{ phoneNumberId: PHONE_NUMBER_ID, state: 'failed', message: 'Meta said no' }]);

      const view = await service.confirm(tenant, SESSION_ID, [PHONE_NUMBER_ID]);

      expect(audit.record).toHaveBeenCalledWith(tenant, 'onboarding.confirmed', `Onboarding ${SESSION_ID}`, `${PHONE_NUMBER_ID}: failed`);
      expect(events.publish).toHaveBeenCalledWith(ACCOUNT_ID, { type: 'onboarding.updated', session: view });
      // A "manual" session is the import-from-Meta flow in the metrics.
      expect(metrics.onboarding).toHaveBeenCalledWith('import', 'confirm', expect.any(Function), expect.any(Function));
      expect(onboardingOutcome(metrics, view)).toBe('partial');
    });
  });

  describe('getSession', () => {
    it('shows a pending session past its expiry as expired, and which numbers another tenant holds', async () => {
      givenSession(anOnboardingSession({ expiresAt: clock.now() }));
      phoneNumbers.availability.mockResolvedValue(new Map([[PHONE_NUMBER_ID, 'taken' as const]]));

      const view = await service.getSession(tenant, SESSION_ID);

      expect(view.status).toBe('expired');
      expect(view.wabas[0].numbers[0]).toMatchObject({ phoneNumberId: PHONE_NUMBER_ID, displayPhone: '+44 7700 900123', availability: 'taken' });
    });

    it('ticks the number being reconnected, else the numbers already connected here, never a taken one', async () => {
      const wabas = [aGraphWaba({}, [aGraphPhoneNumber(), SECOND_NUMBER]), OTHER_WABA];
      givenSession(anOnboardingSession({}, wabas));
      const availability = new Map([
        [PHONE_NUMBER_ID, 'connected_here' as const],
        [SECOND_NUMBER.id, 'connected_here' as const],
        ['2000000000000003', 'taken' as const],
      ]);
      phoneNumbers.availability.mockResolvedValue(availability);
      await expect(service.getSession(tenant, SESSION_ID)).resolves.toMatchObject({
        preselectedPhoneNumberIds: [PHONE_NUMBER_ID, SECOND_NUMBER.id],
        counts: { shared: 3, new: 0, connectedHere: 2, taken: 1 },
      });

      repository.findSession.mockResolvedValue(anOnboardingSession({ reconnectPhoneNumberId: SECOND_NUMBER.id }, wabas));
      await expect(service.getSession(tenant, SESSION_ID)).resolves.toMatchObject({ preselectedPhoneNumberIds: [SECOND_NUMBER.id], reconnectPhoneNumberId: SECOND_NUMBER.id });

      // A number another workspace took meanwhile is never ticked, even when it was the one to reconnect.
      repository.findSession.mockResolvedValue(anOnboardingSession({ reconnectPhoneNumberId: '2000000000000003' }, wabas));
      await expect(service.getSession(tenant, SESSION_ID)).resolves.toMatchObject({ preselectedPhoneNumberIds: [PHONE_NUMBER_ID, SECOND_NUMBER.id] });
    });

    it('keeps a finished session finished after its expiry', async () => {
      givenSession(anOnboardingSession({ expiresAt: clock.now(), status: 'completed' }));
      await expect(service.getSession(tenant, SESSION_ID)).resolves.toMatchObject({ status: 'completed' });
    });
  });

  describe('starting from a consent', () => {
    function givenDiscovery(wabas = [aGraphWaba()]): void {
      discovery.discover.mockResolvedValue({ debug: aDebugToken(), wabas });
      credentials.saveGrant.mockResolvedValue(aConnectionRecord());
      repository.insertSession.mockImplementation(async (_account, session) =>
        anOnboardingSession({ ...session, connectionId: anOnboardingSession().connectionId, userId: anOnboardingSession().userId }),
      );
      phoneNumbers.availability.mockResolvedValue(new Map());
      audit.record.mockResolvedValue();
    }

    it('refuses an authorization code used before, without asking Meta', async () => {
      repository.recordCodeUse.calledWith(ACCOUNT_ID, sha256Hex('code-1'), clock.now()).mockResolvedValue(false);
      const refused = service.fromEmbeddedSignup(tenant, { code: 'code-1' });
      await expect(refused).rejects.toMatchObject({ code: 'oauth_code_used' });
      expect(graph.exchangeCode).not.toHaveBeenCalled();
    });

    it('exchanges an Embedded Signup code without redirect_uri and takes the WABA the SDK named as a hint', async () => {
      repository.recordCodeUse.mockResolvedValue(true);
      graph.exchangeCode.calledWith({ code: 'code-1' }).mockResolvedValue({ access_token: 'tenant-token' });
      givenDiscovery();

      await service.fromEmbeddedSignup(tenant, { code: 'code-1', sessionInfo: { wabaId: WABA_ID } } as never);

      expect(discovery.discover).toHaveBeenCalledWith('tenant-token', [WABA_ID]);
      expect(credentials.saveGrant).toHaveBeenCalledWith(tenant, 'tenant-token', 'embedded_signup', aDebugToken(), [WABA_ID]);
    });

    it('turns Meta refusing the code into a 400 that says so', async () => {
      repository.recordCodeUse.mockResolvedValue(true);
      graph.exchangeCode.mockRejectedValue(aGraphError('invalid', { message: 'code was used' }));
      const refused = service.fromEmbeddedSignup(tenant, { code: 'code-1', attemptId: ATTEMPT_ID });
      await expect(refused).rejects.toThrow(InvalidRequestError);
      await expect(refused).rejects.toThrow('Meta refused the authorization code: code was used');
      expect(attempts.consentFinished).toHaveBeenCalledWith(tenant, ATTEMPT_ID);
      expect(attempts.failed).toHaveBeenCalledWith(tenant, ATTEMPT_ID, expect.any(InvalidRequestError));
    });

    it('refuses a consent that granted no WABA and stores no credential', async () => {
      discovery.discover.mockResolvedValue({ debug: aDebugToken(), wabas: [] });
      await expect(service.fromRedirect(tenant, { accessToken: 'tenant-token', attemptId: ATTEMPT_ID })).rejects.toThrow(ForbiddenError);
      expect(credentials.saveGrant).not.toHaveBeenCalled();
    });

    it('stores the credential and a session of every discovered number that expires in one hour', async () => {
      givenDiscovery([aGraphWaba({}, [aGraphPhoneNumber(), SECOND_NUMBER]), OTHER_WABA]);

      await service.importFromToken(tenant, 'tenant-token');

      expect(credentials.saveGrant).toHaveBeenCalledWith(tenant, 'tenant-token', 'manual', aDebugToken(), [WABA_ID, OTHER_WABA.id]);
      expect(repository.insertSession).toHaveBeenCalledWith(
        ACCOUNT_ID,
        expect.objectContaining({
          connectionId: CONNECTION_ID,
          source: 'manual',
          expiresAt: new Date(clock.now().getTime() + HOUR),
          numbers: [PHONE_NUMBER_ID, SECOND_NUMBER.id, '2000000000000003'].map((phoneNumberId) => expect.objectContaining({ phoneNumberId, outcomeState: null })),
        }),
      );
      expect(audit.record).toHaveBeenCalledWith(tenant, 'whatsapp.consent', '2 WhatsApp Business Account(s)', 'via manual');
    });
  });

  describe('rethrowAsDomainError', () => {
    it.each([
      ['invalid', InvalidRequestError],
      ['credential', InvalidRequestError],
      ['permission', ForbiddenError],
      ['temporary', UpstreamError],
      ['rate_limited', UpstreamError],
    ] as const)('maps a Graph %s error to %p, keeping Meta as the cause', (kind, errorClass) => {
      const cause = aGraphError(kind);
      let thrown: unknown;
      try {
        rethrowAsDomainError('Meta said')(cause);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(errorClass);
      expect(thrown).toMatchObject({ cause, message: expect.stringContaining(`Meta said: ${cause.message}`) });
    });

    it('leaves errors that are not from Meta as they are', () => {
      const bug = new TypeError('bug');
      expect(() => rethrowAsDomainError('Meta said')(bug)).toThrow(bug);
    });
  });
});
