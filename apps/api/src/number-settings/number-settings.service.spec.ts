import type { MockProxy } from 'jest-mock-extended';
import { BUSINESS_CATEGORIES, PROFILE_LIMITS, type BusinessProfileView, type DisplayNameView, type PhoneNumberView } from '@waba/contracts';
import type { MetaGraphClient } from '@waba/meta-graph';
import { ConflictError, NotFoundError } from '../common/errors/domain-errors';
import type { PhoneNumbersService, TenantNumbers } from '../phone-numbers/phone-numbers.service';
import type { RegistrationAttemptRecord, RegistrationAttemptsRepository } from '../phone-numbers/registration-attempts.repository';
import { RegistrationBudgetService } from '../phone-numbers/registration-budget.service';
import { tenantNumbersOf } from '../testing/doubles';
import { ACCOUNT_ID, aPhoneNumberRecord, aRegistrationAttempt, aTenant, PHONE_NUMBER_ID } from '../testing/factories';
import { FakeClock, HOUR } from '../testing/fake-clock';
import { strictMock } from '../testing/strict-mock';
import type { BusinessProfileService } from './business-profile.service';
import type { DisplayNameService } from './display-name.service';
import type { NumberSettingsRepository } from './number-settings.repository';
import { NumberSettingsService } from './number-settings.service';

const tenant = aTenant();

describe('NumberSettingsService', () => {
  let clock: FakeClock;
  let phoneNumbers: MockProxy<PhoneNumbersService>;
  let numbers: MockProxy<TenantNumbers>;
  let repository: MockProxy<NumberSettingsRepository>;
  let profiles: MockProxy<BusinessProfileService>;
  let names: MockProxy<DisplayNameService>;
  let attempts: MockProxy<RegistrationAttemptsRepository>;
  /** Registration attempts as their collection holds them: the real budget counts these. */
  let attempted: RegistrationAttemptRecord[];
  let service: NumberSettingsService;

  const anAttempt = (hoursAgo: number, outcome: RegistrationAttemptRecord['outcome'] = 'failed') => aRegistrationAttempt(clock.now(), hoursAgo, { outcome });
  const aNumberView = (overrides: Partial<PhoneNumberView> = {}) => ({ phoneNumberId: PHONE_NUMBER_ID, displayPhone: '+44 7700 900123', ...overrides }) as PhoneNumberView;

  beforeEach(() => {
    clock = new FakeClock('2026-11-25T12:00:00Z');
    phoneNumbers = strictMock<PhoneNumbersService>('phoneNumbers');
    numbers = tenantNumbersOf(phoneNumbers);
    repository = strictMock<NumberSettingsRepository>('repository');
    profiles = strictMock<BusinessProfileService>('profiles');
    names = strictMock<DisplayNameService>('names');
    attempts = strictMock<RegistrationAttemptsRepository>('attempts');
    attempted = [];
    attempts.attemptsSince.mockImplementation(async (_account, _number, since) => attempted.filter((a) => a.at >= since));
    // The budget is the real one, on the fake clock; only its collection is a double. It never calls Meta here.
    const budget = new RegistrationBudgetService(attempts, strictMock<MetaGraphClient>('graph'), clock);
    service = new NumberSettingsService(repository, profiles, names, budget, phoneNumbers);
  });

  describe('requireNumber', () => {
    it("answers the tenant's own number", async () => {
      const number = aPhoneNumberRecord();
      numbers.number.calledWith(PHONE_NUMBER_ID).mockResolvedValue(number);
      await expect(service.requireNumber(tenant, PHONE_NUMBER_ID)).resolves.toBe(number);
    });

    it("is a 404 for a number the tenant does not have (another tenant's included)", async () => {
      numbers.number.calledWith(PHONE_NUMBER_ID).mockResolvedValue(null);
      await expect(service.requireNumber(tenant, PHONE_NUMBER_ID)).rejects.toThrow(NotFoundError);
    });
  });

  describe('retry', () => {
    beforeEach(() => {
      numbers.number.calledWith(PHONE_NUMBER_ID).mockResolvedValue(aPhoneNumberRecord({ state: 'failed', registration: 'failed' }));
    });

    it('resumes the connect with the registration the admin asked for while the budget has room', async () => {
      attempted = [anAttempt(5), anAttempt(2)];
      phoneNumbers.resume.calledWith(tenant, PHONE_NUMBER_ID, { register: true }).mockResolvedValue({ number: aNumberView({ state: 'connected' }), registrationWaiting: false });

      await expect(service.retry(tenant, PHONE_NUMBER_ID, true)).resolves.toMatchObject({ state: 'connected' });
    });

    it('refuses to register when Meta blocked the number, and resumes nothing', async () => {
      attempted = [anAttempt(10, 'limited')];

      await expect(service.retry(tenant, PHONE_NUMBER_ID, true)).rejects.toMatchObject({
        code: 'meta_blocked',
        message: expect.stringContaining('Meta blocked registering this number until 2026-11-28 02:00 UTC'),
      });
      expect(phoneNumbers.resume).not.toHaveBeenCalled();
    });

    it('refuses the registration once ten attempts fall within 72 hours, and allows it when the oldest leaves the window', async () => {
      attempted = Array.from({ length: 10 }, (_, i) => anAttempt(71 - i));
      await expect(service.retry(tenant, PHONE_NUMBER_ID, true)).rejects.toThrow(ConflictError);

      clock.advance(1.5 * HOUR);
      phoneNumbers.resume.mockResolvedValue({ number: aNumberView({ state: 'connected' }), registrationWaiting: false });
      await expect(service.retry(tenant, PHONE_NUMBER_ID, true)).resolves.toMatchObject({ state: 'connected' });
    });

    it('without consent to register, a number still waiting for it asks for that consent, with the budget in words', async () => {
      attempted = [anAttempt(3)];
      phoneNumbers.resume.calledWith(tenant, PHONE_NUMBER_ID, { register: false }).mockResolvedValue({ number: aNumberView({ state: 'pending' }), registrationWaiting: true });

      const refusal = service.retry(tenant, PHONE_NUMBER_ID, false);

      await expect(refusal).rejects.toMatchObject({ code: 'registration_needs_consent' });
      await expect(refusal).rejects.toThrow(
        "+44 7700 900123 still has to be registered for the Cloud API. WABA Connect made 1 of Meta's 10 allowed registration attempts in the last 72 hours; 9 left (attempts made outside WABA Connect count too). Press Register again to spend one attempt.",
      );
    });

    it('without consent to register, does not look at the budget for a number that needs no registration', async () => {
      phoneNumbers.resume.calledWith(tenant, PHONE_NUMBER_ID, { register: false }).mockResolvedValue({ number: aNumberView({ state: 'connected' }), registrationWaiting: false });

      await expect(service.retry(tenant, PHONE_NUMBER_ID, false)).resolves.toMatchObject({ state: 'connected' });
      expect(attempts.attemptsSince).not.toHaveBeenCalled();
    });

    it('resumes nothing for a number the tenant does not have', async () => {
      numbers.number.calledWith('2000000000000099').mockResolvedValue(null);
      await expect(service.retry(tenant, '2000000000000099', true)).rejects.toThrow(NotFoundError);
      expect(phoneNumbers.resume).not.toHaveBeenCalled();
    });
  });

  describe('view', () => {
    const profile = { phoneNumberId: PHONE_NUMBER_ID } as BusinessProfileView;
    const displayName = { phoneNumberId: PHONE_NUMBER_ID, currentName: 'Acme Support' } as DisplayNameView;

    it('reconciles the display name with Meta first, then answers the page in one view', async () => {
      const number = aPhoneNumberRecord({ encryptedPin: 'enc(123456|binding)' });
      numbers.number.calledWith(PHONE_NUMBER_ID).mockResolvedValue(number);
      const order: string[] = [];
      names.reconcile.calledWith(number).mockImplementation(async () => void order.push('reconcile'));
      names.view.calledWith(number).mockImplementation(async () => (order.push('view'), displayName));
      profiles.view.calledWith(number).mockResolvedValue(profile);
      repository.lastPinChange.calledWith(ACCOUNT_ID, PHONE_NUMBER_ID).mockResolvedValue(new Date('2026-11-20T09:30:00Z'));
      attempted = [anAttempt(1, 'ok')];

      const view = await service.view(tenant, PHONE_NUMBER_ID);

      expect(order).toEqual(['reconcile', 'view']);
      expect(view).toEqual({
        phoneNumberId: PHONE_NUMBER_ID,
        displayPhone: '+44 7700 900123',
        profile,
        displayName,
        pin: { storedByUs: true, changedAt: '2026-11-20T09:30:00.000Z' },
        budget: expect.objectContaining({ usedByUs: 1, remaining: 9, blockedUntil: null }),
        limits: PROFILE_LIMITS,
        categories: BUSINESS_CATEGORIES,
      });
    });

    it('says when WABA Connect keeps no PIN and never changed it', async () => {
      const number = aPhoneNumberRecord({ encryptedPin: null });
      numbers.number.calledWith(PHONE_NUMBER_ID).mockResolvedValue(number);
      names.reconcile.mockResolvedValue();
      names.view.mockResolvedValue(displayName);
      profiles.view.mockResolvedValue(profile);
      repository.lastPinChange.mockResolvedValue(null);

      const view = await service.view(tenant, PHONE_NUMBER_ID);

      expect(view.pin).toEqual({ storedByUs: false, changedAt: null });
      expect(view.budget).toMatchObject({ usedByUs: 0, remaining: 10 });
    });
  });
});
