import { Injectable } from '@nestjs/common';
import { UserRole, type PinChangedView } from '@waba/contracts';
import { MetaGraphClient } from '@waba/meta-graph';
import { AuthService } from '../accounts/auth.service';
import { AuditService } from '../audit/audit.service';
import type { TenantContext } from '../common/auth/auth.decorators';
import { Clock } from '../common/clock/clock';
import { pinBinding, TokenCipher } from '../common/crypto/token-cipher';
import { ConflictError, ForbiddenError, TooManyRequestsError } from '../common/errors/domain-errors';
import { CredentialsService } from '../credentials/credentials.service';
import { PhoneNumbersService, type PhoneNumberRecord } from '../phone-numbers/phone-numbers.service';
import { SharedThrottlerStorage } from '../redis/shared-throttler-storage';
import { EventsService } from '../webhooks/events.service';
import { settingsRefusal } from './meta-refusals';
import { NumberSettingsRepository } from './number-settings.repository';
import { settingsEvent } from './settings-events';

/** Password attempts per user in this window, right or wrong (as for revealing the PIN). */
const CHANGE_ATTEMPTS = 5;
const CHANGE_WINDOW_MS = 15 * 60_000;

/**
 * Changes a number's two-step verification PIN (`POST /{phone}` with `pin`; Meta has no way to
 * turn it off). Owners only, after their password again; the new PIN is stored encrypted like the
 * one set at registration, so re-registering and revealing keep working. Never logged or audited.
 */
@Injectable()
export class TwoStepPinService {
  constructor(
    private readonly numbers: PhoneNumbersService,
    private readonly repository: NumberSettingsRepository,
    private readonly graph: MetaGraphClient,
    private readonly credentials: CredentialsService,
    private readonly auth: AuthService,
    private readonly cipher: TokenCipher,
    private readonly attempts: SharedThrottlerStorage,
    private readonly audit: AuditService,
    private readonly events: EventsService,
    private readonly clock: Clock,
  ) {}

  async change(tenant: TenantContext, number: PhoneNumberRecord, pin: string, password: string): Promise<PinChangedView> {
    if (tenant.role !== UserRole.Owner) throw new ForbiddenError("Only an owner of this account can change a number's two-step PIN; ask an owner.");
    if (number.state !== 'connected') throw new ConflictError('Only a connected number can have its two-step PIN changed.');
    const seconds = await this.attempts.secondsToWait(`pin-change:user:${tenant.userId}`, CHANGE_ATTEMPTS, CHANGE_WINDOW_MS, 'pin-change');
    if (seconds !== null) throw new TooManyRequestsError(`Too many attempts to change a PIN. Try again in ${Math.ceil(seconds / 60)} minutes.`, seconds);
    if (!(await this.auth.passwordMatches(tenant, password))) {
      await this.audit.record(tenant, 'phone_number.pin_change_refused', `Number ${number.displayPhone}`, 'The password was not correct');
      throw new ForbiddenError('That password is not correct, so the PIN was not changed.', { code: 'password_incorrect' });
    }
    const token = await this.credentials.tokenOf(tenant.accountId, String(number.connectionId));
    try {
      await this.graph.setTwoStepPin(token, number.phoneNumberId, pin);
    } catch (error) {
      throw settingsRefusal('change the two-step PIN', error);
    }
    // Stored only once Meta took it: the stored PIN must be the one Meta asks for at /register.
    await this.numbers.forTenant(tenant.accountId).storeEncryptedPin(number.phoneNumberId, this.cipher.encrypt(pin, pinBinding(tenant.accountId, number.phoneNumberId)));
    const at = this.clock.now();
    await this.repository.addPinChange(tenant.accountId, number.phoneNumberId, at);
    await this.audit.record(tenant, 'phone_number.pin_changed', `Number ${number.displayPhone}`, 'The two-step PIN was changed after the password was entered again');
    await this.events.record([settingsEvent(number, at, `${number.displayPhone}: two-step PIN changed`, 'The new PIN is stored encrypted; owners can reveal it with their password.')]);
    return { phoneNumberId: number.phoneNumberId, changedAt: at.toISOString() };
  }
}
