import type { MockProxy } from 'jest-mock-extended';
import { MetaGraphClient } from '@waba/meta-graph';
import { Types } from 'mongoose';
import type { AuditService } from '../audit/audit.service';
import type { TokenCipher } from '../common/crypto/token-cipher';
import { ConflictError } from '../common/errors/domain-errors';
import type { CredentialsService } from '../credentials/credentials.service';
import type { PhoneNumbersService } from '../phone-numbers/phone-numbers.service';
import type { RegistrationBudgetService } from '../phone-numbers/registration-budget.service';
import { readableCipher } from '../testing/doubles';
import { ACCOUNT_ID, aPhoneNumberRecord, aTenant, PHONE_NUMBER_ID } from '../testing/factories';
import { FakeClock } from '../testing/fake-clock';
import { strictMock } from '../testing/strict-mock';
import type { EventsService } from '../webhooks/events.service';
import { DisplayNameService } from './display-name.service';
import type { DisplayNameRequestRecord, NumberSettingsRepository } from './number-settings.repository';

describe('DisplayNameService', () => {
  let clock: FakeClock;
  let repository: MockProxy<NumberSettingsRepository>;
  let graph: MockProxy<MetaGraphClient>;
  let credentials: MockProxy<CredentialsService>;
  let phoneNumbers: MockProxy<PhoneNumbersService>;
  let budget: MockProxy<RegistrationBudgetService>;
  let cipher: MockProxy<TokenCipher>;
  let audit: MockProxy<AuditService>;
  let events: MockProxy<EventsService>;
  let service: DisplayNameService;
  let stored: DisplayNameRequestRecord[];
  const number = aPhoneNumberRecord();

  const aRequest = (overrides: Partial<DisplayNameRequestRecord> = {}): DisplayNameRequestRecord => ({
    _id: new Types.ObjectId(),
    accountId: new Types.ObjectId(ACCOUNT_ID),
    phoneNumberId: PHONE_NUMBER_ID,
    requestedName: 'Acme Help',
    previousName: 'Acme Support',
    previousNameStatus: 'APPROVED',
    status: 'in_review',
    rejectionReason: null,
    requestedAt: clock.now(),
    decidedAt: null,
    appliedAt: null,
    ...overrides,
  });

  beforeEach(() => {
    clock = new FakeClock('2026-11-25T12:00:00Z');
    repository = strictMock<NumberSettingsRepository>('repository');
    graph = strictMock<MetaGraphClient>('graph');
    credentials = strictMock<CredentialsService>('credentials');
    phoneNumbers = strictMock<PhoneNumbersService>('phoneNumbers');
    budget = strictMock<RegistrationBudgetService>('budget');
    cipher = readableCipher();
    audit = strictMock<AuditService>('audit');
    events = strictMock<EventsService>('events');
    service = new DisplayNameService(repository, graph, credentials, phoneNumbers, budget, cipher, audit, events, clock);
    stored = [];
    repository.listNameRequests.mockImplementation(async () => stored);
    repository.countNameRequestsSince.mockImplementation(async () => stored.length);
    repository.latestNameRequestIn.mockImplementation(async (_a, _n, statuses) => stored.find((r) => statuses.includes(r.status)) ?? null);
    repository.updateNameRequest.mockResolvedValue();
    repository.addNameRequest.mockImplementation(async (_a, request) => {
      const record = { ...request, _id: new Types.ObjectId(), accountId: new Types.ObjectId(ACCOUNT_ID) };
      stored.unshift(record);
      return record;
    });
    budget.budget.mockResolvedValue({ limit: 10, windowHours: 72, usedByUs: 0, remaining: 10, blockedUntil: null, nextFreedAt: null, words: '10 left' });
    credentials.tokenOf.mockResolvedValue('tenant-token');
    graph.requestDisplayNameChange.mockResolvedValue({ success: true });
    phoneNumbers.applyMetaChange.mockResolvedValue();
    audit.record.mockResolvedValue();
    events.record.mockResolvedValue();
  });

  it('asks Meta, then tracks the change in review and says so', async () => {
    const view = await service.request(aTenant(), number, 'Acme Help');
    expect(graph.requestDisplayNameChange).toHaveBeenCalledWith('tenant-token', PHONE_NUMBER_ID, 'Acme Help');
    expect(view.latest).toMatchObject({ requestedName: 'Acme Help', previousName: 'Acme Support', status: 'in_review' });
    expect(view).toMatchObject({ canRequest: false, blockedReason: 'A change is already in review; Meta takes one at a time.' });
  });

  it("refuses a second change while one is in review, and one past Meta's 10 in 30 days, without calling Meta", async () => {
    stored = [aRequest()];
    await expect(service.request(aTenant(), number, 'Other')).rejects.toThrow(ConflictError);
    stored = Array.from({ length: 10 }, () => aRequest({ status: 'rejected' }));
    await expect(service.request(aTenant(), number, 'Other')).rejects.toThrow("Meta's limit");
    expect(graph.requestDisplayNameChange).not.toHaveBeenCalled();
  });

  it('takes a rejection from the webhook with its reason, and keeps the old name after an approval until registering again', async () => {
    const open = aRequest();
    stored = [open];
    await service.applyDecision({ accountId: ACCOUNT_ID, phoneNumberId: PHONE_NUMBER_ID, decision: 'REJECTED', requestedName: 'Acme Help', rejectionReason: 'NAME_GENERIC', at: clock.now() });
    expect(repository.updateNameRequest).toHaveBeenCalledWith(ACCOUNT_ID, open._id, { status: 'rejected', decidedAt: clock.now(), rejectionReason: 'NAME_GENERIC' });
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'Meta webhook' }),
      'phone_number.display_name_rejected',
      `Number ${PHONE_NUMBER_ID}`,
      expect.stringContaining('too generic'),
    );

    await service.applyDecision({ accountId: ACCOUNT_ID, phoneNumberId: PHONE_NUMBER_ID, decision: 'APPROVED', requestedName: 'Acme Help', rejectionReason: null, at: clock.now() });
    expect(phoneNumbers.applyMetaChange).toHaveBeenCalledWith(ACCOUNT_ID, PHONE_NUMBER_ID, { verifiedName: 'Acme Support', nameStatus: 'APPROVED' });
  });

  it('puts the name back again when the same decision is applied again (a retried batch, a replay), without a second audit entry', async () => {
    stored = [aRequest({ status: 'approved', decidedAt: clock.now() })];
    await service.applyDecision({ accountId: ACCOUNT_ID, phoneNumberId: PHONE_NUMBER_ID, decision: 'APPROVED', requestedName: 'Acme Help', rejectionReason: null, at: clock.now() });
    expect(phoneNumbers.applyMetaChange).toHaveBeenCalledWith(ACCOUNT_ID, PHONE_NUMBER_ID, { verifiedName: 'Acme Support', nameStatus: 'APPROVED' });
    expect(repository.updateNameRequest).not.toHaveBeenCalled();
    expect(audit.record).not.toHaveBeenCalled();
  });

  it('ignores a decision on a name it did not ask for (a new number’s first review)', async () => {
    await service.applyDecision({ accountId: ACCOUNT_ID, phoneNumberId: PHONE_NUMBER_ID, decision: 'APPROVED', requestedName: 'Acme', rejectionReason: null, at: clock.now() });
    expect(repository.updateNameRequest).not.toHaveBeenCalled();
  });

  it('re-registers only with an approved change, a stored PIN and budget left', async () => {
    await expect(service.reregister(aTenant(), number)).rejects.toThrow('No approved display name is waiting');
    stored = [aRequest({ status: 'approved', decidedAt: clock.now() })];
    await expect(service.reregister(aTenant(), number)).rejects.toThrow('has no two-step PIN');
    budget.requireRoom.mockRejectedValue(new ConflictError('0 left'));
    await expect(service.reregister(aTenant(), aPhoneNumberRecord({ encryptedPin: 'enc(123456|x)' }))).rejects.toThrow('0 left');
    expect(graph.registerPhone).not.toHaveBeenCalled();
  });
});
