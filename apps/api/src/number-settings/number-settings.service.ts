import { Injectable } from '@nestjs/common';
import { BUSINESS_CATEGORIES, PROFILE_LIMITS, type NumberSettingsView, type PhoneNumberView } from '@waba/contracts';
import type { TenantContext } from '../common/auth/auth.decorators';
import { ConflictError, NotFoundError } from '../common/errors/domain-errors';
import { PhoneNumbersService, type PhoneNumberRecord } from '../phone-numbers/phone-numbers.service';
import { RegistrationBudgetService } from '../phone-numbers/registration-budget.service';
import { BusinessProfileService } from './business-profile.service';
import { DisplayNameService } from './display-name.service';
import { NumberSettingsRepository } from './number-settings.repository';

/** The number details page in one answer: profile, display name, PIN and registration budget. */
@Injectable()
export class NumberSettingsService {
  constructor(
    private readonly repository: NumberSettingsRepository,
    private readonly profiles: BusinessProfileService,
    private readonly names: DisplayNameService,
    private readonly budget: RegistrationBudgetService,
    private readonly phoneNumbers: PhoneNumbersService,
  ) {}

  /**
   * "Retry" on a number whose connect stopped: the subscription is tried again at once; a
   * registration only when `register` says the admin asked, and only with Meta's budget left.
   */
  async retry(tenant: TenantContext, phoneNumberId: string, register: boolean): Promise<PhoneNumberView> {
    await this.requireNumber(tenant, phoneNumberId);
    if (register) await this.budget.requireRoom(tenant.accountId, phoneNumberId);
    const { number, registrationWaiting } = await this.phoneNumbers.resume(tenant, phoneNumberId, { register });
    if (registrationWaiting) {
      const budget = await this.budget.budget(tenant.accountId, phoneNumberId);
      throw new ConflictError(`${number.displayPhone} still has to be registered for the Cloud API. ${budget.words} Press Register again to spend one attempt.`, {
        code: 'registration_needs_consent',
      });
    }
    return number;
  }

  async requireNumber(tenant: TenantContext, phoneNumberId: string): Promise<PhoneNumberRecord> {
    const number = await this.phoneNumbers.forTenant(tenant.accountId).number(phoneNumberId);
    if (!number) throw new NotFoundError('Phone number not found');
    return number;
  }

  async view(tenant: TenantContext, phoneNumberId: string): Promise<NumberSettingsView> {
    const number = await this.requireNumber(tenant, phoneNumberId);
    await this.names.reconcile(number);
    const [profile, displayName, budget, pinChangedAt] = await Promise.all([
      this.profiles.view(number),
      this.names.view(number),
      this.budget.budget(tenant.accountId, phoneNumberId),
      this.repository.lastPinChange(tenant.accountId, phoneNumberId),
    ]);
    return {
      phoneNumberId,
      displayPhone: number.displayPhone,
      profile,
      displayName,
      pin: { storedByUs: Boolean(number.encryptedPin), changedAt: pinChangedAt?.toISOString() ?? null },
      budget,
      limits: PROFILE_LIMITS,
      categories: BUSINESS_CATEGORIES,
    };
  }
}
