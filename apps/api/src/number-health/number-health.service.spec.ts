import type { MockProxy } from 'jest-mock-extended';
import { Types } from 'mongoose';
import type { MetaGraphClient, WabaHealthRead } from '@waba/meta-graph';
import type { AuditService } from '../audit/audit.service';
import { pinBinding } from '../common/crypto/token-cipher';
import { DomainEvents } from '../common/events/domain-events';
import type { ApiConfig } from '../config/api-config';
import type { CredentialsService } from '../credentials/credentials.service';
import type { PhoneNumbersService, TenantNumbers } from '../phone-numbers/phone-numbers.service';
import type { RegistrationAttemptRecord, RegistrationAttemptsRepository } from '../phone-numbers/registration-attempts.repository';
import { RegistrationBudgetService } from '../phone-numbers/registration-budget.service';
import type { RealtimePublisher } from '../realtime/realtime-publisher';
import { readableCipher, tenantNumbersOf } from '../testing/doubles';
import { ACCOUNT_ID, aConnectionRecord, aGraphError, aPhoneNumberRecord, APP_ID, aRegistrationAttempt, aTenant, aWabaRecord, CONNECTION_ID, PHONE_NUMBER_ID, WABA_ID } from '../testing/factories';
import { FakeClock } from '../testing/fake-clock';
import { strictMock } from '../testing/strict-mock';
import type { EventsService } from '../webhooks/events.service';
import type { NumberHealthRecord, NumberHealthRepository } from './number-health.repository';
import { NumberHealthService } from './number-health.service';

const tenant = aTenant();
const TOKEN = 'tenant-token';

function aWabaRead(overrides: Partial<WabaHealthRead> = {}, canSend: 'AVAILABLE' | 'BLOCKED' = 'AVAILABLE'): WabaHealthRead {
  return {
    id: WABA_ID,
    name: 'Acme WABA',
    subscribed_apps: { data: [{ whatsapp_business_api_data: { id: APP_ID, name: 'WABA Connect' } }] },
    phone_numbers: {
      data: [
        {
          id: PHONE_NUMBER_ID,
          display_phone_number: '+44 7700 900123',
          verified_name: 'Acme Support',
          quality_rating: 'GREEN',
          name_status: 'APPROVED',
          code_verification_status: 'VERIFIED',
          status: 'CONNECTED',
          platform_type: 'CLOUD_API',
          throughput: { level: 'STANDARD' },
          whatsapp_business_manager_messaging_limit: 'TIER_1K',
          health_status: {
            can_send_message: canSend,
            entities: [
              canSend === 'BLOCKED'
                ? {
                    entity_type: 'PHONE_NUMBER',
                    id: PHONE_NUMBER_ID,
                    can_send_message: 'BLOCKED',
                    errors: [{ error_code: 141006, error_description: 'Payment method error.', possible_solution: 'Add one.' }],
                  }
                : { entity_type: 'PHONE_NUMBER', id: PHONE_NUMBER_ID, can_send_message: 'AVAILABLE' },
            ],
          },
        },
      ],
    },
    ...overrides,
  };
}

describe('NumberHealthService', () => {
  let repository: MockProxy<NumberHealthRepository>;
  let phoneNumbers: MockProxy<PhoneNumbersService>;
  let numbers: MockProxy<TenantNumbers>;
  let credentials: MockProxy<CredentialsService>;
  let graph: MockProxy<MetaGraphClient>;
  let audit: MockProxy<AuditService>;
  let events: MockProxy<EventsService>;
  let realtime: MockProxy<RealtimePublisher>;
  let domainEvents: DomainEvents;
  let attempts: MockProxy<RegistrationAttemptsRepository>;
  /** Registration attempts as the budget's collection holds them; `addAttempt` writes here. */
  let attempted: RegistrationAttemptRecord[];
  let service: NumberHealthService;
  const clock = new FakeClock('2026-11-25T12:00:00Z');

  beforeEach(() => {
    repository = strictMock('repository');
    phoneNumbers = strictMock('phoneNumbers');
    numbers = tenantNumbersOf(phoneNumbers);
    credentials = strictMock('credentials');
    graph = strictMock('graph');
    audit = strictMock('audit');
    events = strictMock('events');
    realtime = strictMock('realtime');
    domainEvents = new DomainEvents();
    const config = { META_APP_ID: APP_ID, publicUrl: 'https://waba.example' } as ApiConfig;
    attempted = [];
    attempts = strictMock('attempts');
    attempts.attemptsSince.mockImplementation(async (_account, _number, since) => attempted.filter((a) => a.at >= since));
    attempts.addAttempt.mockImplementation(async (_account, added) => void attempted.push({ _id: new Types.ObjectId(), accountId: new Types.ObjectId(ACCOUNT_ID), ...added }));
    const budget = new RegistrationBudgetService(attempts, graph, clock);
    service = new NumberHealthService(repository, phoneNumbers, budget, credentials, graph, readableCipher(), audit, events, realtime, domainEvents, clock, config);

    numbers.waba.calledWith(WABA_ID).mockResolvedValue(aWabaRecord());
    numbers.numbersOfWaba.calledWith(WABA_ID).mockResolvedValue([aPhoneNumberRecord({ encryptedPin: `enc(123456|${pinBinding(ACCOUNT_ID, PHONE_NUMBER_ID)})` })]);
    repository.removeExcept.mockResolvedValue();
    credentials.tokenOf.calledWith(ACCOUNT_ID, CONNECTION_ID).mockResolvedValue(TOKEN);
    credentials.find.calledWith(ACCOUNT_ID, CONNECTION_ID).mockResolvedValue(aConnectionRecord());
    events.lastWebhookAt.calledWith(ACCOUNT_ID, WABA_ID).mockResolvedValue(new Date('2026-11-25T11:00:00Z'));
    events.record.mockResolvedValue();
    realtime.publish.mockReturnValue();
    graph.listAppSubscriptions.mockResolvedValue({
      data: [{ object: 'whatsapp_business_account', active: true, fields: ['messages', 'account_update', 'phone_number_quality_update', 'phone_number_name_update'].map((name) => ({ name })) }],
    });
  });

  const previously = (verdict: NumberHealthRecord['verdict'] | null) =>
    repository.replace.mockResolvedValue(
      verdict && {
        accountId: ACCOUNT_ID,
        phoneNumberId: PHONE_NUMBER_ID,
        wabaId: WABA_ID,
        displayPhone: '+44 7700 900123',
        verdict,
        summary: '',
        checks: [],
        checkedAt: new Date('2026-11-25T06:00:00Z'),
      },
    );

  it('reads the WABA from Meta in one Graph call for all its numbers, stores the verdict and pushes it live', async () => {
    graph.getWabaHealth.calledWith(TOKEN, WABA_ID).mockResolvedValue(aWabaRead());
    previously('can_send');

    const [view] = await service.refreshWaba(ACCOUNT_ID, WABA_ID);

    expect(graph.getWabaHealth).toHaveBeenCalledTimes(1);
    expect(graph.listAppSubscriptions).toHaveBeenCalledTimes(1);
    expect(view).toMatchObject({ phoneNumberId: PHONE_NUMBER_ID, verdict: 'can_send', verdictLabel: 'Can send', checkedAt: '2026-11-25T12:00:00.000Z' });
    expect(repository.replace).toHaveBeenCalledWith(ACCOUNT_ID, expect.objectContaining({ verdict: 'can_send', phoneNumberId: PHONE_NUMBER_ID }));
    expect(realtime.publish).toHaveBeenCalledWith(ACCOUNT_ID, { type: 'number-health.updated', health: view });
    // The same verdict as before is no event.
    expect(events.record).not.toHaveBeenCalled();
  });

  it('records a change of verdict as a tenant event in words', async () => {
    graph.getWabaHealth.calledWith(TOKEN, WABA_ID).mockResolvedValue(aWabaRead({}, 'BLOCKED'));
    previously('can_send');

    await service.refreshWaba(ACCOUNT_ID, WABA_ID);

    expect(events.record).toHaveBeenCalledWith([
      {
        accountId: ACCOUNT_ID,
        event: expect.objectContaining({
          type: 'phone_number.health',
          title: '+44 7700 900123: cannot send',
          detail: 'Meta blocks messaging for this number: Payment method error.',
          phoneNumberId: PHONE_NUMBER_ID,
          wabaId: WABA_ID,
        }),
      },
    ]);
  });

  it('records nothing for the first verdict of a number, even "cannot send": it is no change', async () => {
    graph.getWabaHealth.calledWith(TOKEN, WABA_ID).mockResolvedValue(aWabaRead({}, 'BLOCKED'));
    previously(null);
    const [view] = await service.refreshWaba(ACCOUNT_ID, WABA_ID);
    expect(view.verdict).toBe('cannot_send');
    expect(events.record).not.toHaveBeenCalled();
  });

  it("judges by what Meta says now, without touching the number's stored facts", async () => {
    const read = aWabaRead();
    const number = read.phone_numbers?.data[0];
    if (number) number.quality_rating = 'RED';
    graph.getWabaHealth.calledWith(TOKEN, WABA_ID).mockResolvedValue(read);
    previously('can_send');

    const [view] = await service.refreshWaba(ACCOUNT_ID, WABA_ID);

    expect(view.verdict).toBe('limited');
    expect(view.checks[0]).toMatchObject({ key: 'quality', outcome: 'limits' });
  });

  it('marks the credential for reconnecting when Meta refuses it, and the verdict says cannot send', async () => {
    graph.getWabaHealth.calledWith(TOKEN, WABA_ID).mockRejectedValue(aGraphError('credential', { code: 190 }));
    credentials.markNeedsReauth.mockResolvedValue();
    previously('can_send');
    const unusable = jest.fn();
    domainEvents.on('connection.unusable', unusable);

    const [view] = await service.refreshWaba(ACCOUNT_ID, WABA_ID);

    expect(credentials.markNeedsReauth).toHaveBeenCalledWith(ACCOUNT_ID, CONNECTION_ID, expect.any(String));
    expect(unusable).toHaveBeenCalledWith({ accountId: ACCOUNT_ID, connectionId: CONNECTION_ID });
    expect(view.verdict).toBe('cannot_send');
    expect(view.checks[0]).toMatchObject({ key: 'credential', fix: 'reconnect' });
  });

  it('keeps the credential as it is when Meta only timed out', async () => {
    graph.getWabaHealth.calledWith(TOKEN, WABA_ID).mockRejectedValue(aGraphError('temporary'));
    previously('can_send');
    const [view] = await service.refreshWaba(ACCOUNT_ID, WABA_ID);
    expect(view.verdict).toBe('can_send');
    expect(view.checks.find((c) => c.key === 'meta_health')?.outcome).toBe('unknown');
  });

  it('re-registers with the stored PIN in one attempt, then reads the WABA again', async () => {
    numbers.number.calledWith(PHONE_NUMBER_ID).mockResolvedValue(aPhoneNumberRecord({ encryptedPin: `enc(123456|${pinBinding(ACCOUNT_ID, PHONE_NUMBER_ID)})` }));
    graph.registerPhone.calledWith(TOKEN, PHONE_NUMBER_ID, '123456').mockResolvedValue({ success: true });
    numbers.recordRegistration.mockResolvedValue();
    audit.record.mockResolvedValue();
    graph.getWabaHealth.calledWith(TOKEN, WABA_ID).mockResolvedValue(aWabaRead());
    previously('cannot_send');

    const [view] = await service.reRegister(tenant, PHONE_NUMBER_ID);

    expect(graph.registerPhone).toHaveBeenCalledTimes(1);
    expect(numbers.recordRegistration).toHaveBeenCalledWith(PHONE_NUMBER_ID, 'registered');
    expect(view.verdict).toBe('can_send');
    // The attempt counts against Meta's registration budget, as every other register does.
    expect(attempted).toEqual([expect.objectContaining({ phoneNumberId: PHONE_NUMBER_ID, kind: 'register', outcome: 'ok', at: clock.now() })]);
  });

  it("counts a refused re-register against the budget, Meta's 133016 as the block it starts", async () => {
    numbers.number.calledWith(PHONE_NUMBER_ID).mockResolvedValue(aPhoneNumberRecord({ encryptedPin: `enc(123456|${pinBinding(ACCOUNT_ID, PHONE_NUMBER_ID)})` }));
    graph.registerPhone.mockRejectedValue(aGraphError('blocked', { code: 133016 }));
    numbers.recordRegistration.mockResolvedValue();

    await expect(service.reRegister(tenant, PHONE_NUMBER_ID)).rejects.toThrow(/^Registering the number again failed: /);

    expect(numbers.recordRegistration).toHaveBeenCalledWith(PHONE_NUMBER_ID, 'failed');
    expect(attempted.map((a) => a.outcome)).toEqual(['limited']);
    // The next press is refused before Meta is asked: the budget is blocked for 72 hours.
    await expect(service.reRegister(tenant, PHONE_NUMBER_ID)).rejects.toMatchObject({ code: 'meta_blocked' });
    expect(graph.registerPhone).toHaveBeenCalledTimes(1);
  });

  it('spends no attempt when the budget has none left, and says so in words', async () => {
    numbers.number.calledWith(PHONE_NUMBER_ID).mockResolvedValue(aPhoneNumberRecord({ encryptedPin: `enc(123456|${pinBinding(ACCOUNT_ID, PHONE_NUMBER_ID)})` }));
    attempted = Array.from({ length: 10 }, (_, i) => aRegistrationAttempt(clock.now(), i + 1, { outcome: 'failed' }));

    await expect(service.reRegister(tenant, PHONE_NUMBER_ID)).rejects.toThrow(/Registering now would only be refused by Meta, so we did not try/);
    expect(graph.registerPhone).not.toHaveBeenCalled();
  });

  it('refuses to re-register a number whose PIN we do not keep, in words', async () => {
    numbers.number.calledWith(PHONE_NUMBER_ID).mockResolvedValue(aPhoneNumberRecord({ encryptedPin: null }));
    await expect(service.reRegister(tenant, PHONE_NUMBER_ID)).rejects.toThrow('WABA Connect keeps no two-step PIN for this number');
  });

  it('subscribes again with a plain subscribe and marks the WABA subscribed', async () => {
    graph.subscribeApp.calledWith(TOKEN, WABA_ID).mockResolvedValue({ success: true });
    numbers.markSubscribed.mockResolvedValue();
    audit.record.mockResolvedValue();
    graph.getWabaHealth.calledWith(TOKEN, WABA_ID).mockResolvedValue(aWabaRead());
    previously('limited');

    await service.resubscribe(tenant, WABA_ID);

    expect(graph.subscribeApp).toHaveBeenCalledWith(TOKEN, WABA_ID);
    expect(numbers.markSubscribed).toHaveBeenCalledWith(WABA_ID);
  });
});
