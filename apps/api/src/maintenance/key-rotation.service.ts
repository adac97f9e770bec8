import { Injectable } from '@nestjs/common';
import { pinBinding, TokenCipher, tokenBinding, type SecretBinding } from '../common/crypto/token-cipher';
import { CredentialsService } from '../credentials/credentials.service';
import { PhoneNumbersService } from '../phone-numbers/phone-numbers.service';

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
    private readonly credentials: CredentialsService,
    private readonly phoneNumbers: PhoneNumbersService,
  ) {}

  /** `progress` is called after each secret with how many are done of how many there are. */
  async rotate(options: { dryRun: boolean; progress?: (done: number, total: number) => void }): Promise<RotationSummary> {
    const summary: RotationSummary = {
      activeKeyId: this.cipher.activeKeyId,
      tokens: { reencrypted: 0, current: 0, changedMeanwhile: 0 },
      pins: { reencrypted: 0, current: 0, changedMeanwhile: 0 },
    };
    // Read first (ids and ciphertexts only), so the progress has a total; each write still compares.
    const tokens = await collect(this.credentials.storedTokens(), (t) => ({ id: t.id, secret: t.encryptedToken, binding: tokenBinding(t.accountId, t.tokenFingerprint) }));
    const pins = await collect(this.phoneNumbers.storedPins(), (p) => ({ id: p.id, secret: p.encryptedPin, binding: pinBinding(p.accountId, p.phoneNumberId) }));
    const total = tokens.length + pins.length;
    let done = 0;
    const rotateAll = async (kind: 'tokens' | 'pins', items: StoredSecret[], replace: (id: string, previous: string, next: string) => Promise<boolean>) => {
      for (const item of items) {
        const counts = summary[kind];
        if (this.cipher.isCurrent(item.secret)) counts.current++;
        else if (options.dryRun || (await replace(item.id, item.secret, this.cipher.reencrypt(item.secret, item.binding)))) counts.reencrypted++;
        else counts.changedMeanwhile++;
        options.progress?.(++done, total);
      }
    };
    await rotateAll('tokens', tokens, (id, a, b) => this.credentials.replaceStoredToken(id, a, b));
    await rotateAll('pins', pins, (id, a, b) => this.phoneNumbers.replaceStoredPin(id, a, b));
    return summary;
  }
}

interface StoredSecret {
  id: string;
  secret: string;
  binding: SecretBinding;
}

async function collect<T>(source: AsyncIterable<T>, map: (item: T) => StoredSecret): Promise<StoredSecret[]> {
  const items: StoredSecret[] = [];
  for await (const item of source) items.push(map(item));
  return items;
}
