import type { MockProxy } from 'jest-mock-extended';
import { UserRole } from '@waba/contracts';
import type { AuthService } from '../accounts/auth.service';
import type { AuditService } from '../audit/audit.service';
import { pinBinding, type TokenCipher } from '../common/crypto/token-cipher';
import { ForbiddenError, NotFoundError, TooManyRequestsError } from '../common/errors/domain-errors';
import type { SharedThrottlerStorage } from '../redis/shared-throttler-storage';
import { readableCipher } from '../testing/doubles';
import { ACCOUNT_ID, aPhoneNumberRecord, aTenant, PHONE_NUMBER_ID, USER_ID } from '../testing/factories';
import { FakeClock } from '../testing/fake-clock';
import { strictMock } from '../testing/strict-mock';
import type { PhoneNumbersRepository } from './phone-numbers.repository';
import { PinRevealService } from './pin-reveal.service';

const owner = aTenant();
const PASSWORD = 'correct horse battery';

describe('PinRevealService', () => {
  let clock: FakeClock;
  let repository: MockProxy<PhoneNumbersRepository>;
  let auth: MockProxy<AuthService>;
  let cipher: MockProxy<TokenCipher>;
  let attempts: MockProxy<SharedThrottlerStorage>;
  let audit: MockProxy<AuditService>;
  let service: PinRevealService;

  beforeEach(() => {
    clock = new FakeClock('2026-11-25T12:00:00Z');
    repository = strictMock<PhoneNumbersRepository>('repository');
    auth = strictMock<AuthService>('auth');
    cipher = readableCipher();
    attempts = strictMock<SharedThrottlerStorage>('attempts');
    audit = strictMock<AuditService>('audit');
    service = new PinRevealService(repository, auth, cipher, attempts, audit, clock);
    audit.record.mockResolvedValue();
    attempts.secondsToWait.mockResolvedValue(null);
    auth.passwordMatches.mockImplementation(async (_tenant, password) => password === PASSWORD);
    repository.findNumber.calledWith(ACCOUNT_ID, PHONE_NUMBER_ID).mockResolvedValue(aPhoneNumberRecord({ encryptedPin: `enc(123456|${pinBinding(ACCOUNT_ID, PHONE_NUMBER_ID)})` }));
  });

  it('shows an owner who typed their password again the PIN we set, and audits the reveal', async () => {
    await expect(service.reveal(owner, PHONE_NUMBER_ID, PASSWORD)).resolves.toEqual({ phoneNumberId: PHONE_NUMBER_ID, pin: '123456', revealedAt: clock.now().toISOString() });
    expect(attempts.secondsToWait).toHaveBeenCalledWith(`pin-reveal:user:${USER_ID}`, 5, 15 * 60_000, 'pin-reveal');
    expect(audit.record).toHaveBeenCalledWith(owner, 'phone_number.pin_revealed', 'Number +44 7700 900123', expect.not.stringContaining('123456'));
  });

  it('refuses an admin before reading anything', async () => {
    await expect(service.reveal(aTenant({ role: UserRole.Admin }), PHONE_NUMBER_ID, PASSWORD)).rejects.toThrow(ForbiddenError);
    expect(repository.findNumber).not.toHaveBeenCalled();
  });

  it('keeps the PIN hidden after a wrong password, and audits the refusal', async () => {
    const refused = service.reveal(owner, PHONE_NUMBER_ID, 'guess');
    await expect(refused).rejects.toMatchObject({ code: 'password_incorrect' });
    expect(audit.record).toHaveBeenCalledWith(owner, 'phone_number.pin_reveal_refused', 'Number +44 7700 900123', 'The password was not correct');
    expect(cipher.decrypt).not.toHaveBeenCalled();
  });

  it('stops guessing after too many attempts, without checking the password', async () => {
    attempts.secondsToWait.mockResolvedValue(300);
    await expect(service.reveal(owner, PHONE_NUMBER_ID, PASSWORD)).rejects.toThrow(TooManyRequestsError);
    expect(auth.passwordMatches).not.toHaveBeenCalled();
  });

  it('says when we set no PIN for the number', async () => {
    repository.findNumber.mockResolvedValue(aPhoneNumberRecord({ encryptedPin: null }));
    await expect(service.reveal(owner, PHONE_NUMBER_ID, PASSWORD)).rejects.toThrow(NotFoundError);
  });
});
