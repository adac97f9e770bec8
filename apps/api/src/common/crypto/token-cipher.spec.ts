import { loadApiConfig } from '../../config/api-config';
import { pinBinding, TokenCipher, tokenBinding } from './token-cipher';
import { legacyV1Ciphertext } from './token-cipher.testing';

const KEY_1 = Buffer.alloc(32, 1).toString('base64');
const KEY_2 = Buffer.alloc(32, 2).toString('base64');
const cipherWith = (keys: string, active?: string) =>
  new TokenCipher(loadApiConfig({ MONGODB_URI: 'mongodb://x/y', REDIS_URL: 'redis://localhost:6390', TOKEN_ENCRYPTION_KEYS: keys, ...(active ? { TOKEN_ENCRYPTION_ACTIVE_KEY: active } : {}) }));
const TENANT_A = tokenBinding('64b000000000000000000001', 'fingerprint-a');
const TENANT_B = tokenBinding('64b000000000000000000002', 'fingerprint-a');

describe('TokenCipher', () => {
  it('round-trips a token without storing it in clear', () => {
    const cipher = cipherWith(`k1:${KEY_1}`);
    const stored = cipher.encrypt('EAAGsecret-token', TENANT_A);
    expect(stored).not.toContain('EAAGsecret');
    expect(stored.startsWith('v2.k1.')).toBe(true);
    expect(cipher.decrypt(stored, TENANT_A)).toBe('EAAGsecret-token');
  });

  it('uses a fresh IV every time', () => {
    const cipher = cipherWith(`k1:${KEY_1}`);
    expect(cipher.encrypt('same', TENANT_A)).not.toBe(cipher.encrypt('same', TENANT_A));
  });

  it('detects tampering', () => {
    const cipher = cipherWith(`k1:${KEY_1}`);
    const parts = cipher.encrypt('EAAG', TENANT_A).split('.');
    parts[4] = Buffer.from('EAAH').toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'), TENANT_A)).toThrow(/altered/);
  });

  it('refuses a ciphertext moved to another record: another tenant, another token, another number', () => {
    const cipher = cipherWith(`k1:${KEY_1}`);
    const token = cipher.encrypt('EAAGsecret-token', TENANT_A);
    expect(() => cipher.decrypt(token, TENANT_B)).toThrow(/does not belong to this record/);
    expect(() => cipher.decrypt(token, tokenBinding('64b000000000000000000001', 'fingerprint-b'))).toThrow(/does not belong/);
    const pin = cipher.encrypt('123456', pinBinding('64b000000000000000000001', '1000001'));
    expect(() => cipher.decrypt(pin, pinBinding('64b000000000000000000001', '1000002'))).toThrow(/does not belong/);
    // A PIN's ciphertext is not a token's, even for the same tenant.
    expect(() => cipher.decrypt(pin, tokenBinding('64b000000000000000000001', '1000001'))).toThrow(/does not belong/);
  });

  it('keeps decrypting secrets stored before bindings (v1), and rotation upgrades them even under the same key', () => {
    const cipher = cipherWith(`k1:${KEY_1}`);
    const old = legacyV1Ciphertext('k1', KEY_1, 'EAAGold-token');
    expect(cipher.decrypt(old, TENANT_A)).toBe('EAAGold-token');
    expect(cipher.isCurrent(old)).toBe(false);
    const upgraded = cipher.reencrypt(old, TENANT_A);
    expect(upgraded.startsWith('v2.k1.')).toBe(true);
    expect(cipher.decrypt(upgraded, TENANT_A)).toBe('EAAGold-token');
    expect(() => cipher.decrypt(upgraded, TENANT_B)).toThrow(/does not belong/);
    expect(cipher.reencrypt(upgraded, TENANT_A)).toBe(upgraded);
  });

  it('keeps decrypting old secrets after rotation and re-encrypts them under the new key', () => {
    const old = cipherWith(`k1:${KEY_1}`).encrypt('123456', TENANT_A);
    const rotated = cipherWith(`k1:${KEY_1},k2:${KEY_2}`, 'k2');
    expect(rotated.decrypt(old, TENANT_A)).toBe('123456');
    const renewed = rotated.reencrypt(old, TENANT_A);
    expect(rotated.keyIdOf(renewed)).toBe('k2');
    expect(cipherWith(`k2:${KEY_2}`).decrypt(renewed, TENANT_A)).toBe('123456');
  });

  it('names a missing key instead of failing obscurely', () => {
    const stored = cipherWith(`k1:${KEY_1}`).encrypt('x', TENANT_A);
    expect(() => cipherWith(`k2:${KEY_2}`).decrypt(stored, TENANT_A)).toThrow(/key "k1", which is not configured/);
  });
});
