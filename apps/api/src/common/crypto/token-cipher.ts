import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ApiConfig } from '../../config/api-config';

/** One AES-256-GCM key and the id stored beside everything it encrypts. */
export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/**
 * What a ciphertext belongs to, authenticated with it (GCM associated data): a stored secret copied
 * into another record — another tenant's credential, another number's PIN — fails to decrypt
 * instead of being used there. Build one with `tokenBinding` or `pinBinding`.
 */
export type SecretBinding = string & { readonly __binding: unique symbol };

/** A Meta token belongs to its tenant and to its own fingerprint (the token's SHA-256, stored beside it). */
export const tokenBinding = (accountId: string, tokenFingerprint: string) => `meta-token|${accountId}|${tokenFingerprint}` as SecretBinding;
/** A two-step PIN belongs to its tenant and its phone number. */
export const pinBinding = (accountId: string, phoneNumberId: string) => `pin|${accountId}|${phoneNumberId}` as SecretBinding;

/** v1 (before bindings) authenticated only the key id; it still decrypts, and rotation upgrades it. */
const LEGACY_FORMAT = 'v1';
const FORMAT = 'v2';

/**
 * Encrypts Meta tokens and PINs at rest with AES-256-GCM. The stored form is
 * `v2.<keyId>.<iv>.<tag>.<ciphertext>` (base64url), so old keys keep decrypting after a rotation
 * and the rotation command can find what still uses them.
 */
@Injectable()
export class TokenCipher {
  private readonly keys: Map<string, Buffer>;
  private readonly active: EncryptionKey;

  constructor(config: ApiConfig) {
    this.keys = new Map(config.encryptionKeys.map((k) => [k.id, k.key]));
    this.active = config.activeEncryptionKey;
  }

  get activeKeyId(): string {
    return this.active.id;
  }

  encrypt(plaintext: string, binding: SecretBinding): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.active.key, iv);
    cipher.setAAD(associatedData(FORMAT, this.active.id, binding));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, this.active.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  decrypt(stored: string, binding: SecretBinding): string {
    const [format, keyId, iv, tag, data] = stored.split('.');
    if ((format !== FORMAT && format !== LEGACY_FORMAT) || !keyId || !iv || !tag || data === undefined) throw new Error('Stored secret has an unknown format');
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`Stored secret uses encryption key "${keyId}", which is not configured`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(associatedData(format, keyId, binding));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('Stored secret does not belong to this record or was altered');
    }
  }

  keyIdOf(stored: string): string {
    return stored.split('.')[1] ?? '';
  }

  /** True when the secret is in the current format under the active key: rotation leaves it alone. */
  isCurrent(stored: string): boolean {
    return stored.startsWith(`${FORMAT}.${this.active.id}.`);
  }

  /** Decrypts with whichever key and format it used and encrypts again under the active key. */
  reencrypt(stored: string, binding: SecretBinding): string {
    return this.isCurrent(stored) ? stored : this.encrypt(this.decrypt(stored, binding), binding);
  }
}

function associatedData(format: string, keyId: string, binding: SecretBinding): Buffer {
  return Buffer.from(format === LEGACY_FORMAT ? keyId : `${keyId}|${binding}`);
}
