import { Injectable } from '@nestjs/common';
import { BUSINESS_CATEGORIES, PROFILE_LIMITS, type NumberSettingsView } from '@waba/contracts';
import type { TenantContext } from '../common/auth/auth.decorators';
import { NotFoundError } from '../common/errors/domain-errors';
import { PhoneNumbersRepository, type PhoneNumberRecord } from '../phone-numbers/phone-numbers.repository';
import { BusinessProfileService } from './business-profile.service';
import { DisplayNameService } from './display-name.service';
import { NumberSettingsRepository } from './number-settings.repository';
import { RegistrationBudgetService } from './registration-budget.service';

/** The number details page in one answer: profile, display name, PIN and registration budget. */
@Injectable()
export class NumberSettingsService {
  constructor(
    private readonly numbers: PhoneNumbersRepository,
    private readonly repository: NumberSettingsRepository,
    private readonly profiles: BusinessProfileService,
    private readonly names: DisplayNameService,
    private readonly budget: RegistrationBudgetService,
  ) {}

  async requireNumber(tenant: TenantContext, phoneNumberId: string): Promise<PhoneNumberRecord> {
    const number = await this.numbers.findNumber(tenant.accountId, phoneNumberId);
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
