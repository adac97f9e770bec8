import type { MockProxy } from 'jest-mock-extended';
import { toPhoneNumberFacts } from '@waba/meta-graph';
import type { AuditService } from '../audit/audit.service';
import { ConflictError, ForbiddenError, UpstreamError } from '../common/errors/domain-errors';
import type { CredentialsService } from '../credentials/credentials.service';
import type { MetricsService } from '../metrics/metrics.service';
import type { NumberOutcome, PhoneNumbersService, TenantNumbers } from '../phone-numbers/phone-numbers.service';
import { metricsRunningSteps, tenantNumbersOf } from '../testing/doubles';
import { ACCOUNT_ID, aConnectionRecord, aDebugToken, aGraphPhoneNumber, aGraphWaba, aTenant, aWabaRecord, CONNECTION_ID, PHONE_NUMBER_ID, WABA_ID } from '../testing/factories';
import { FakeClock } from '../testing/fake-clock';
import { strictMock } from '../testing/strict-mock';
import type { DiscoveryService } from './discovery.service';
import { ManualNumbersService } from './manual-numbers.service';

const tenant = aTenant();
const NEW_CONNECTION = '64b0000000000000000000c2';
const request = { wabaId: WABA_ID, phoneNumberId: PHONE_NUMBER_ID, accessToken: 'pasted-token' };

describe('ManualNumbersService', () => {
  let discovery: MockProxy<DiscoveryService>;
  let credentials: MockProxy<CredentialsService>;
  let phoneNumbers: MockProxy<PhoneNumbersService>;
  let numbers: MockProxy<TenantNumbers>;
  let audit: MockProxy<AuditService>;
  let metrics: MockProxy<MetricsService>;
  let service: ManualNumbersService;

  beforeEach(() => {
    discovery = strictMock<DiscoveryService>('discovery');
    credentials = strictMock<CredentialsService>('credentials');
    phoneNumbers = strictMock<PhoneNumbersService>('phoneNumbers');
    numbers = tenantNumbersOf(phoneNumbers);
    audit = strictMock<AuditService>('audit');
    metrics = metricsRunningSteps();
    service = new ManualNumbersService(discovery, credentials, phoneNumbers, audit, new FakeClock('2026-11-25T12:00:00Z'), metrics);
    audit.record.mockResolvedValue();
  });

  /** The token reaches the WABA and its number; the WABA is not connected here yet unless a test says so. */
  function givenVerified(outcome: NumberOutcome = { phoneNumberId: PHONE_NUMBER_ID, state: 'connected' }): void {
    discovery.discover.calledWith('pasted-token', [WABA_ID]).mockResolvedValue({ debug: aDebugToken(), wabas: [aGraphWaba()] });
    numbers.waba.mockResolvedValue(null);
    credentials.saveGrant.mockResolvedValue(aConnectionRecord({ id: NEW_CONNECTION, source: 'manual' }));
    phoneNumbers.connectSelection.mockResolvedValue([outcome]);
    phoneNumbers.numberView.calledWith(tenant, PHONE_NUMBER_ID).mockResolvedValue({ phoneNumberId: PHONE_NUMBER_ID } as never);
  }

  /** The WABA already works with a credential from Meta's consent. */
  function givenConsentedCredential(): void {
    numbers.waba.mockResolvedValue(aWabaRecord());
    credentials.find.calledWith(ACCOUNT_ID, CONNECTION_ID).mockResolvedValue(aConnectionRecord({ source: 'embedded_signup' }));
  }

  it('refuses a token that cannot reach the WABA, or a number not on it, before storing anything', async () => {
    discovery.discover.mockResolvedValueOnce({ debug: aDebugToken(), wabas: [aGraphWaba({ id: '1000000000000002' })] });
    await expect(service.add(tenant, request)).rejects.toThrow(ForbiddenError);

    discovery.discover.mockResolvedValueOnce({ debug: aDebugToken(), wabas: [aGraphWaba({}, [aGraphPhoneNumber({ id: '2000000000000002' })])] });
    await expect(service.add(tenant, request)).rejects.toThrow(`Phone number ${PHONE_NUMBER_ID} does not belong to WhatsApp Business Account ${WABA_ID}`);
  });

  it('connects the verified number with the pasted token, stored as a manual credential, and audits it', async () => {
    givenVerified();
    await expect(service.add(tenant, request)).resolves.toEqual({ phoneNumberId: PHONE_NUMBER_ID });
    expect(credentials.saveGrant).toHaveBeenCalledWith(tenant, 'pasted-token', 'manual', aDebugToken(), [WABA_ID]);
    expect(phoneNumbers.connectSelection).toHaveBeenCalledWith(tenant, NEW_CONNECTION, 'manual', [{ waba: aGraphWaba(), numbers: [toPhoneNumberFacts(aGraphPhoneNumber())] }]);
    expect(audit.record).toHaveBeenCalledWith(tenant, 'phone_number.added_manually', 'Number +44 7700 900123', `WABA ${WABA_ID}`);
  });

  it.each<[string, NumberOutcome, new (message: string) => Error]>([
    ['another tenant holds it (409)', { phoneNumberId: PHONE_NUMBER_ID, state: 'failed', message: 'held elsewhere', takenByAnotherTenant: true }, ConflictError],
    ['Meta failed it (502)', { phoneNumberId: PHONE_NUMBER_ID, state: 'failed', message: 'Meta refused' }, UpstreamError],
  ])('says so when the number does not connect because %s', async (_case, outcome, errorClass) => {
    givenVerified(outcome);
    await expect(service.add(tenant, request)).rejects.toThrow(new errorClass(outcome.message as string));
  });

  it("asks (409) before a pasted token replaces a credential from Meta's consent", async () => {
    givenVerified();
    givenConsentedCredential();
    const refused = service.add(tenant, request);
    await expect(refused).rejects.toThrow(ConflictError);
    await expect(refused).rejects.toMatchObject({ code: 'credential_choice_needed' });
    expect(credentials.saveGrant).not.toHaveBeenCalled();
    expect(numbers.waba).toHaveBeenCalledWith(WABA_ID);
  });

  it('keeps the consented credential when asked, storing nothing new, and audits the choice', async () => {
    givenVerified();
    givenConsentedCredential();

    await service.add(tenant, { ...request, credentialChoice: 'keep-existing' });

    expect(credentials.saveGrant).not.toHaveBeenCalled();
    expect(phoneNumbers.connectSelection).toHaveBeenCalledWith(tenant, CONNECTION_ID, 'manual', expect.any(Array));
    expect(audit.record).toHaveBeenCalledWith(tenant, 'connection.choice', `WABA ${WABA_ID}`, expect.stringMatching(/^Kept the credential from .*not stored$/));
  });

  it('does not ask about a consented credential that no longer works', async () => {
    givenVerified();
    numbers.waba.mockResolvedValue(aWabaRecord());
    credentials.find.mockResolvedValue(aConnectionRecord({ source: 'oauth', status: 'needs_reauth' }));
    await expect(service.add(tenant, request)).resolves.toEqual({ phoneNumberId: PHONE_NUMBER_ID });
    expect(credentials.saveGrant).toHaveBeenCalled();
  });
});
