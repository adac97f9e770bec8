import type { MockProxy } from 'jest-mock-extended';
import type { TokenCipher } from '../common/crypto/token-cipher';
import type { MetricsService } from '../metrics/metrics.service';
import type { PhoneNumbersService, TenantNumbers } from '../phone-numbers/phone-numbers.service';
import { ACCOUNT_ID } from './factories';
import { strictMock } from './strict-mock';

/** Tests only: metrics that run each onboarding step as the real ones do (counting is not under test). */
export function metricsRunningSteps(): MockProxy<MetricsService> {
  const metrics = strictMock<MetricsService>('metrics');
  metrics.onboarding.mockImplementation((_flow, _step, run) => run());
  return metrics;
}

/** The `outcomeOf` a service handed to `metrics.onboarding` in its only call, applied to a result. */
export function onboardingOutcome<T>(metrics: MockProxy<MetricsService>, result: T): string {
  const outcomeOf = metrics.onboarding.mock.calls[0]?.[3] as ((result: T) => string) | undefined;
  return outcomeOf ? outcomeOf(result) : 'succeeded';
}

/**
 * A TokenCipher whose "ciphertext" shows the secret and its binding, so a test can read what was
 * stored; decrypting under another binding fails, as the real cipher's does.
 */
export function readableCipher(): MockProxy<TokenCipher> {
  const cipher = strictMock<TokenCipher>('cipher');
  cipher.encrypt.mockImplementation((plaintext, binding) => `enc(${plaintext}|${binding})`);
  cipher.decrypt.mockImplementation((stored, binding) => {
    const match = /^enc\(([^|]*)\|(.*)\)$/.exec(stored);
    if (!match || match[2] !== binding) throw new Error('Unsupported state or unable to authenticate data');
    return match[1];
  });
  return cipher;
}

/**
 * The tenant's WABAs and numbers as `PhoneNumbersService.forTenant` hands them out: a strict mock
 * for `accountId` only, so reaching for another tenant's records fails the test.
 */
export function tenantNumbersOf(phoneNumbers: MockProxy<PhoneNumbersService>, accountId = ACCOUNT_ID): MockProxy<TenantNumbers> {
  const numbers = strictMock<TenantNumbers>(`numbers of ${accountId}`);
  phoneNumbers.forTenant.calledWith(accountId).mockReturnValue(numbers);
  return numbers;
}
