import type { MockProxy } from 'jest-mock-extended';
import type { WabaView, WhatsAppStatusView } from '@waba/contracts';
import type { OnboardingService } from '../oauth/onboarding.service';
import { toPhoneNumberView, type PhoneNumbersService } from '../phone-numbers/phone-numbers.service';
import { aPhoneNumberRecord, aTenant, CONNECTION_ID, PHONE_NUMBER_ID, WABA_ID } from '../testing/factories';
import { FakeClock } from '../testing/fake-clock';
import { strictMock } from '../testing/strict-mock';
import type { EventsService } from '../webhooks/events.service';
import type { NumberHealthService } from '../number-health/number-health.service';
import type { TemplatesService } from '../templates/templates.service';
import { OverviewService } from './overview.service';

const tenant = aTenant();
const SECOND_WABA = '1000000000000002';

describe('OverviewService', () => {
  let phoneNumbers: MockProxy<PhoneNumbersService>;
  let onboarding: MockProxy<OnboardingService>;
  let events: MockProxy<EventsService>;
  let numberHealth: MockProxy<NumberHealthService>;
  let service: OverviewService;

  beforeEach(() => {
    phoneNumbers = strictMock<PhoneNumbersService>('phoneNumbers');
    onboarding = strictMock<OnboardingService>('onboarding');
    events = strictMock<EventsService>('events');
    numberHealth = strictMock<NumberHealthService>('numberHealth');
    const templates = strictMock<TemplatesService>('templates');
    templates.needingAttention.calledWith(tenant.accountId).mockResolvedValue([]);
    service = new OverviewService(phoneNumbers, onboarding, events, new FakeClock('2026-11-25T12:00:00Z'), numberHealth, templates);
    numberHealth.list.calledWith(tenant).mockResolvedValue({ numbers: [] });
    onboarding.inProgress.calledWith(tenant).mockResolvedValue([]);
    events.list.calledWith(tenant, { page: 1, pageSize: 5 }).mockResolvedValue({ items: [], page: 1, pageSize: 5, total: 12 });
  });

  const aWabaView = (overrides: Partial<WabaView> = {}): WabaView => ({
    wabaId: WABA_ID,
    name: 'Acme WABA',
    ownerBusinessName: 'Acme Ltd',
    subscribed: true,
    state: 'connected',
    connection: { id: CONNECTION_ID, source: 'oauth', status: 'active', expiresAt: null, lastCheckedAt: null, lastError: null },
    restriction: null,
    numbers: [toPhoneNumberView(aPhoneNumberRecord())],
    ...overrides,
  });
  const givenStatus = (wabas: WabaView[]) => phoneNumbers.status.calledWith(tenant).mockResolvedValue({ connected: true, activePhoneNumberId: PHONE_NUMBER_ID, wabas } satisfies WhatsAppStatusView);

  it('shows every number with its status, counts them, and the recent events', async () => {
    givenStatus([aWabaView()]);
    const overview = await service.overview(tenant);
    expect(overview.numbers).toEqual([expect.objectContaining({ phoneNumberId: PHONE_NUMBER_ID, wabaName: 'Acme WABA', isActive: true, status: expect.objectContaining({ kind: 'connected' }) })]);
    expect(overview.byStatus).toEqual([expect.objectContaining({ kind: 'connected', count: 1 })]);
    expect(overview.attention).toEqual([]);
    expect(overview.eventTotal).toBe(12);
  });

  it('asks for one Reconnect for a WABA whose access was removed, not one per number', async () => {
    givenStatus([aWabaView({ state: 'revoked', numbers: [toPhoneNumberView(aPhoneNumberRecord()), toPhoneNumberView(aPhoneNumberRecord({ phoneNumberId: '2000000000000002' }))] })]);
    const { attention } = await service.overview(tenant);
    expect(attention).toEqual([expect.objectContaining({ kind: 'reconnect_needed', tone: 'bad', fix: 'reconnect', wabaId: WABA_ID, phoneNumberId: null })]);
  });

  it('lists the worst first: a restricted account before a number dropping in quality', async () => {
    givenStatus([
      aWabaView({ wabaId: SECOND_WABA, numbers: [toPhoneNumberView(aPhoneNumberRecord({ phoneNumberId: '2000000000000002', wabaId: SECOND_WABA, qualityRating: 'YELLOW' }))] }),
      aWabaView({ restriction: { event: 'ACCOUNT_RESTRICTION', explanation: 'Messaging is limited', at: '2026-11-24T00:00:00.000Z' } }),
    ]);
    const { attention } = await service.overview(tenant);
    expect(attention.map((a) => [a.kind, a.tone])).toEqual([
      ['restricted_account', 'bad'],
      ['quality_medium', 'warn'],
    ]);
  });

  it('has nothing to ask about a disconnected WABA', async () => {
    givenStatus([
      aWabaView({
        state: 'disconnected',
        restriction: { event: 'ACCOUNT_RESTRICTION', explanation: 'old news', at: '2026-11-01T00:00:00.000Z' },
        numbers: [toPhoneNumberView(aPhoneNumberRecord({ state: 'disconnected' }))],
      }),
    ]);
    await expect(service.overview(tenant)).resolves.toMatchObject({ attention: [] });
  });
});
