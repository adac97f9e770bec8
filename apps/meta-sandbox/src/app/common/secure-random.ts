// Unguessable values that look like Meta's: tokens start with "EAA", codes with "AQ".
import { randomBytes } from 'node:crypto';

function alphanumeric(bytes: number): string {
  return randomBytes(bytes)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '');
}

export function newAccessToken(): string {
  return `EAA${alphanumeric(96)}`;
}

export function newAuthorizationCode(): string {
  return `AQ${randomBytes(96).toString('base64url')}`;
}

export function newTraceId(): string {
  return alphanumeric(18).slice(0, 23);
}

export function newChallenge(): string {
  return String(randomBytes(6).readUIntBE(0, 6));
}
