import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ApiConfig } from '../../config/api-config';

/** One AES-256-GCM key and the id stored beside everything it encrypts. */
export interface EncryptionKey {
  id: string;
  key: Buffer;
}

const FORMAT = 'v1';

/**
 * Encrypts Meta tokens and PINs at rest with AES-256-GCM. The stored form is
 * `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url), so old keys keep decrypting after a rotation
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

  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.active.key, iv);
    cipher.setAAD(Buffer.from(this.active.id));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, this.active.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  decrypt(stored: string): string {
    const [format, keyId, iv, tag, data] = stored.split('.');
    if (format !== FORMAT || !keyId || !iv || !tag || data === undefined) throw new Error('Stored secret has an unknown format');
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`Stored secret uses encryption key "${keyId}", which is not configured`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(keyId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }

  keyIdOf(stored: string): string {
    return stored.split('.')[1] ?? '';
  }

  /** Decrypts with whichever key it used and encrypts again under the active key. */
  reencrypt(stored: string): string {
    return this.keyIdOf(stored) === this.active.id ? stored : this.encrypt(this.decrypt(stored));
  }
}
