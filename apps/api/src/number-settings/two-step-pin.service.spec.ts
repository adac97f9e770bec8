import type { MockProxy } from 'jest-mock-extended';
import { UserRole } from '@waba/contracts';
import { MetaGraphClient, MetaGraphError } from '@waba/meta-graph';
import type { AuthService } from '../accounts/auth.service';
import type { AuditService } from '../audit/audit.service';
import { pinBinding, type TokenCipher } from '../common/crypto/token-cipher';
import { ForbiddenError, InvalidRequestError } from '../common/errors/domain-errors';
import type { CredentialsService } from '../credentials/credentials.service';
import type { PhoneNumbersService, TenantNumbers } from '../phone-numbers/phone-numbers.service';
import type { SharedThrottlerStorage } from '../redis/shared-throttler-storage';
import { readableCipher, tenantNumbersOf } from '../testing/doubles';
import { ACCOUNT_ID, aPhoneNumberRecord, aTenant, PHONE_NUMBER_ID } from '../testing/factories';
import { FakeClock } from '../testing/fake-clock';
import { strictMock } from '../testing/strict-mock';
import type { EventsService } from '../webhooks/events.service';
import type { NumberSettingsRepository } from './number-settings.repository';
import { TwoStepPinService } from './two-step-pin.service';

const PASSWORD = 'correct horse battery';

describe('TwoStepPinService', () => {
  let clock: FakeClock;
  let phoneNumbers: MockProxy<PhoneNumbersService>;
  let numbers: MockProxy<TenantNumbers>;
  let repository: MockProxy<NumberSettingsRepository>;
  let graph: MockProxy<MetaGraphClient>;
  let credentials: MockProxy<CredentialsService>;
  let auth: MockProxy<AuthService>;
  let cipher: MockProxy<TokenCipher>;
  let attempts: MockProxy<SharedThrottlerStorage>;
  let audit: MockProxy<AuditService>;
  let events: MockProxy<EventsService>;
  let service: TwoStepPinService;
  const number = aPhoneNumberRecord();

  beforeEach(() => {
    clock = new FakeClock('2026-11-25T12:00:00Z');
    phoneNumbers = strictMock<PhoneNumbersService>('phoneNumbers');
    numbers = tenantNumbersOf(phoneNumbers);
    repository = strictMock<NumberSettingsRepository>('repository');
    graph = strictMock<MetaGraphClient>('graph');
    credentials = strictMock<CredentialsService>('credentials');
    auth = strictMock<AuthService>('auth');
    cipher = readableCipher();
    attempts = strictMock<SharedThrottlerStorage>('attempts');
    audit = strictMock<AuditService>('audit');
    events = strictMock<EventsService>('events');
    service = new TwoStepPinService(phoneNumbers, repository, graph, credentials, auth, cipher, attempts, audit, events, clock);
    attempts.secondsToWait.mockResolvedValue(null);
    auth.passwordMatches.mockImplementation(async (_tenant, password) => password === PASSWORD);
    credentials.tokenOf.mockResolvedValue('tenant-token');
    graph.setTwoStepPin.mockResolvedValue({ success: true });
    numbers.storeEncryptedPin.mockResolvedValue();
    repository.addPinChange.mockResolvedValue();
    audit.record.mockResolvedValue();
    events.record.mockResolvedValue();
  });

  it('sets the PIN at Meta, then stores it encrypted, audited without the PIN', async () => {
    await expect(service.change(aTenant(), number, '246810', PASSWORD)).resolves.toEqual({ phoneNumberId: PHONE_NUMBER_ID, changedAt: '2026-11-25T12:00:00.000Z' });
    expect(graph.setTwoStepPin).toHaveBeenCalledWith('tenant-token', PHONE_NUMBER_ID, '246810');
    expect(numbers.storeEncryptedPin).toHaveBeenCalledWith(PHONE_NUMBER_ID, `enc(246810|${pinBinding(ACCOUNT_ID, PHONE_NUMBER_ID)})`);
    expect(JSON.stringify(audit.record.mock.calls)).not.toContain('246810');
    expect(JSON.stringify(events.record.mock.calls)).not.toContain('246810');
  });

  it('keeps the stored PIN when Meta refuses the new one', async () => {
    graph.setTwoStepPin.mockRejectedValue(new MetaGraphError({ kind: 'invalid', retryable: false, message: 'Graph POST failed: (#100) Param pin', code: 100, endpoint: 'POST /x' }));
    await expect(service.change(aTenant(), number, '246810', PASSWORD)).rejects.toThrow(InvalidRequestError);
    expect(numbers.storeEncryptedPin).not.toHaveBeenCalled();
  });

  it('refuses an admin and a wrong password without calling Meta', async () => {
    await expect(service.change(aTenant({ role: UserRole.Admin }), number, '246810', PASSWORD)).rejects.toThrow(ForbiddenError);
    await expect(service.change(aTenant(), number, '246810', 'guess')).rejects.toMatchObject({ code: 'password_incorrect' });
    expect(audit.record).toHaveBeenCalledWith(aTenant(), 'phone_number.pin_change_refused', 'Number +44 7700 900123', 'The password was not correct');
    expect(graph.setTwoStepPin).not.toHaveBeenCalled();
  });
});
