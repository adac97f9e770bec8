import { Injectable } from '@nestjs/common';
import { UserRole, type RevealedPinView } from '@waba/contracts';
import { AuditService } from '../audit/audit.service';
import { AuthService } from '../accounts/auth.service';
import type { TenantContext } from '../common/auth/auth.decorators';
import { Clock } from '../common/clock/clock';
import { pinBinding, TokenCipher } from '../common/crypto/token-cipher';
import { ForbiddenError, NotFoundError, TooManyRequestsError } from '../common/errors/domain-errors';
import { SharedThrottlerStorage } from '../redis/shared-throttler-storage';
import { PhoneNumbersRepository } from './phone-numbers.repository';

/** Password attempts per user in this window, right or wrong: a stolen session cannot guess on. */
const REVEAL_ATTEMPTS = 5;
const REVEAL_WINDOW_MS = 15 * 60_000;

/**
 * The two-step PIN we set when registering a number, shown to an owner who typed their password
 * again. This answer is the only place the PIN leaves the API; every reveal and every refused
 * password is audited (who and when), and the PIN is never logged.
 */
@Injectable()
export class PinRevealService {
  constructor(
    private readonly repository: PhoneNumbersRepository,
    private readonly auth: AuthService,
    private readonly cipher: TokenCipher,
    private readonly attempts: SharedThrottlerStorage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async reveal(tenant: TenantContext, phoneNumberId: string, password: string): Promise<RevealedPinView> {
    if (tenant.role !== UserRole.Owner) throw new ForbiddenError("Only an owner of this account can reveal a number's two-step PIN; ask an owner.");
    const number = await this.repository.findNumber(tenant.accountId, phoneNumberId);
    if (!number) throw new NotFoundError('Phone number not found');
    if (!number.encryptedPin) throw new NotFoundError('WABA Connect did not set a two-step PIN for this number: it was already registered for the Cloud API, so its PIN is whatever the business set.');

    const seconds = await this.attempts.secondsToWait(`pin-reveal:user:${tenant.userId}`, REVEAL_ATTEMPTS, REVEAL_WINDOW_MS, 'pin-reveal');
    if (seconds !== null) throw new TooManyRequestsError(`Too many attempts to reveal a PIN. Try again in ${Math.ceil(seconds / 60)} minutes.`, seconds);
    if (!(await this.auth.passwordMatches(tenant, password))) {
      await this.audit.record(tenant, 'phone_number.pin_reveal_refused', `Number ${number.displayPhone}`, 'The password was not correct');
      throw new ForbiddenError('That password is not correct, so the PIN stays hidden.', { code: 'password_incorrect' });
    }

    const pin = this.cipher.decrypt(number.encryptedPin, pinBinding(tenant.accountId, number.phoneNumberId));
    const revealedAt = this.clock.now();
    await this.audit.record(tenant, 'phone_number.pin_revealed', `Number ${number.displayPhone}`, 'The two-step PIN was shown after the password was entered again');
    return { phoneNumberId: number.phoneNumberId, pin, revealedAt: revealedAt.toISOString() };
  }
}
