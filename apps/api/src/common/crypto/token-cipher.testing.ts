import { createCipheriv, randomBytes } from 'node:crypto';

/**
 * Tests only: a secret as the cipher stored it before ciphertexts were bound to their records (v1,
 * only the key id authenticated), to prove such secrets keep decrypting and rotation upgrades them.
 */
export function legacyV1Ciphertext(keyId: string, keyBase64: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(keyBase64, 'base64'), iv);
  cipher.setAAD(Buffer.from(keyId));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', keyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
}
