import { Injectable } from '@nestjs/common';
import { pinBinding, TokenCipher, tokenBinding, type SecretBinding } from '../common/crypto/token-cipher';
import { CredentialsRepository } from '../credentials/credentials.repository';
import { PhoneNumbersRepository } from '../phone-numbers/phone-numbers.repository';

export interface RotationSummary {
  activeKeyId: string;
  tokens: { reencrypted: number; current: number; changedMeanwhile: number };
  pins: { reencrypted: number; current: number; changedMeanwhile: number };
}

/**
 * Re-encrypts every stored Meta token and PIN under the active key, in the current format (bound to
 * its record). Each write is a compare-and-swap on the old ciphertext, so a secret replaced
 * meanwhile is left alone.
 */
@Injectable()
export class KeyRotationService {
  constructor(
    private readonly cipher: TokenCipher,
    private readonly credentials: CredentialsRepository,
    private readonly phoneNumbers: PhoneNumbersRepository,
  ) {}

  async rotate(options: { dryRun: boolean; progress?: (line: string) => void }): Promise<RotationSummary> {
    const summary: RotationSummary = {
      activeKeyId: this.cipher.activeKeyId,
      tokens: { reencrypted: 0, current: 0, changedMeanwhile: 0 },
      pins: { reencrypted: 0, current: 0, changedMeanwhile: 0 },
    };
    const rotateAll = async (
      kind: 'tokens' | 'pins',
      items: AsyncIterable<{ id: string; secret: string; binding: SecretBinding }>,
      replace: (id: string, previous: string, next: string) => Promise<boolean>,
    ) => {
      for await (const item of items) {
        const counts = summary[kind];
        if (this.cipher.isCurrent(item.secret)) {
          counts.current++;
          continue;
        }
        const next = this.cipher.reencrypt(item.secret, item.binding);
        if (options.dryRun || (await replace(item.id, item.secret, next))) counts.reencrypted++;
        else counts.changedMeanwhile++;
        if ((counts.reencrypted + counts.changedMeanwhile) % 100 === 0) options.progress?.(`${kind}: ${counts.reencrypted} re-encrypted`);
      }
    };
    await rotateAll(
      'tokens',
      mapSecrets(this.credentials.allEncryptedTokens(), (t) => ({ secret: t.encryptedToken, binding: tokenBinding(t.accountId, t.tokenFingerprint) })),
      (id, a, b) => this.credentials.replaceEncryptedToken(id, a, b),
    );
    await rotateAll(
      'pins',
      mapSecrets(this.phoneNumbers.allEncryptedPins(), (p) => ({ secret: p.encryptedPin, binding: pinBinding(p.accountId, p.phoneNumberId) })),
      (id, a, b) => this.phoneNumbers.replaceEncryptedPin(id, a, b),
    );
    return summary;
  }
}

async function* mapSecrets<T extends { id: string }>(
  source: AsyncIterable<T>,
  secretOf: (item: T) => { secret: string; binding: SecretBinding },
): AsyncGenerator<{ id: string; secret: string; binding: SecretBinding }> {
  for await (const item of source) yield { id: item.id, ...secretOf(item) };
}
