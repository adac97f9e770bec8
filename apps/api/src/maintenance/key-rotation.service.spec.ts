import type { MockProxy } from 'jest-mock-extended';
import { pinBinding, tokenBinding, type TokenCipher } from '../common/crypto/token-cipher';
import type { CredentialsService } from '../credentials/credentials.service';
import type { PhoneNumbersService } from '../phone-numbers/phone-numbers.service';
import { ACCOUNT_ID, PHONE_NUMBER_ID } from '../testing/factories';
import { strictMock } from '../testing/strict-mock';
import { KeyRotationService } from './key-rotation.service';

/** Ciphertexts here are "<key>:<binding>"; the active key is k2. */
const under = (key: string, binding: string) => `${key}:${binding}`;
const TOKEN_BINDING = tokenBinding(ACCOUNT_ID, 'fp-1');
const PIN_BINDING = pinBinding(ACCOUNT_ID, PHONE_NUMBER_ID);

async function* yielding<T>(...items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

describe('KeyRotationService', () => {
  let cipher: MockProxy<TokenCipher>;
  let credentials: MockProxy<CredentialsService>;
  let phoneNumbers: MockProxy<PhoneNumbersService>;
  let service: KeyRotationService;

  beforeEach(() => {
    cipher = strictMock<TokenCipher>('cipher');
    Object.assign(cipher, { activeKeyId: 'k2' });
    cipher.isCurrent.mockImplementation((stored) => stored.startsWith('k2:'));
    cipher.reencrypt.mockImplementation((stored, binding) => {
      if (!stored.endsWith(`:${binding}`)) throw new Error('wrong binding');
      return under('k2', binding);
    });
    credentials = strictMock<CredentialsService>('credentials');
    phoneNumbers = strictMock<PhoneNumbersService>('phoneNumbers');
    service = new KeyRotationService(cipher, credentials, phoneNumbers);

    credentials.storedTokens.mockImplementation(() =>
      yielding(
        { id: 't-old', accountId: ACCOUNT_ID, tokenFingerprint: 'fp-1', encryptedToken: under('k1', TOKEN_BINDING) },
        { id: 't-current', accountId: ACCOUNT_ID, tokenFingerprint: 'fp-1', encryptedToken: under('k2', TOKEN_BINDING) },
        { id: 't-raced', accountId: ACCOUNT_ID, tokenFingerprint: 'fp-1', encryptedToken: under('k1', TOKEN_BINDING) },
      ),
    );
    phoneNumbers.storedPins.mockImplementation(() => yielding({ id: 'p-old', accountId: ACCOUNT_ID, phoneNumberId: PHONE_NUMBER_ID, encryptedPin: under('k1', PIN_BINDING) }));
  });

  it('re-encrypts old secrets under the active key with their own binding, leaving alone those replaced meanwhile', async () => {
    credentials.replaceStoredToken.mockImplementation(async (id) => id !== 't-raced');
    phoneNumbers.replaceStoredPin.mockResolvedValue(true);
    const progress = jest.fn();

    const summary = await service.rotate({ dryRun: false, progress });

    expect(summary).toEqual({ activeKeyId: 'k2', tokens: { reencrypted: 1, current: 1, changedMeanwhile: 1 }, pins: { reencrypted: 1, current: 0, changedMeanwhile: 0 } });
    expect(credentials.replaceStoredToken).toHaveBeenCalledWith('t-old', under('k1', TOKEN_BINDING), under('k2', TOKEN_BINDING));
    expect(phoneNumbers.replaceStoredPin).toHaveBeenCalledWith('p-old', under('k1', PIN_BINDING), under('k2', PIN_BINDING));
    expect(progress.mock.calls).toEqual([
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
    ]);
  });

  it('only counts in a dry run', async () => {
    const summary = await service.rotate({ dryRun: true });
    expect(summary.tokens).toEqual({ reencrypted: 2, current: 1, changedMeanwhile: 0 });
    expect(credentials.replaceStoredToken).not.toHaveBeenCalled();
    expect(cipher.reencrypt).not.toHaveBeenCalled();
  });
});
