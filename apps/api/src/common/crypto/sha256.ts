import { createHash } from 'node:crypto';

/**
 * SHA-256 as hex: what we store instead of a secret we only need to recognise (session and CSRF
 * tokens, OAuth states and codes), a token's fingerprint, and a webhook body's identity.
 */
export function sha256Hex(input: string | Buffer): string {
  return createHash('sha256').update(input).digest('hex');
}
