import { loadApiConfig } from '../../config/api-config';
import { TokenCipher } from './token-cipher';

const KEY_1 = Buffer.alloc(32, 1).toString('base64');
const KEY_2 = Buffer.alloc(32, 2).toString('base64');
const cipherWith = (keys: string, active?: string) =>
  new TokenCipher(loadApiConfig({ MONGODB_URI: 'mongodb://x/y', REDIS_URL: 'redis://localhost:6390', TOKEN_ENCRYPTION_KEYS: keys, ...(active ? { TOKEN_ENCRYPTION_ACTIVE_KEY: active } : {}) }));

describe('TokenCipher', () => {
  it('round-trips a token without storing it in clear', () => {
    const cipher = cipherWith(`k1:${KEY_1}`);
    const stored = cipher.encrypt('EAAGsecret-token');
    expect(stored).not.toContain('EAAGsecret');
    expect(stored.startsWith('v1.k1.')).toBe(true);
    expect(cipher.decrypt(stored)).toBe('EAAGsecret-token');
  });

  it('uses a fresh IV every time', () => {
    const cipher = cipherWith(`k1:${KEY_1}`);
    expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
  });

  it('detects tampering', () => {
    const cipher = cipherWith(`k1:${KEY_1}`);
    const parts = cipher.encrypt('EAAG').split('.');
    parts[4] = Buffer.from('EAAH').toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'))).toThrow();
  });

  it('keeps decrypting old secrets after rotation and re-encrypts them under the new key', () => {
    const old = cipherWith(`k1:${KEY_1}`).encrypt('123456');
    const rotated = cipherWith(`k1:${KEY_1},k2:${KEY_2}`, 'k2');
    expect(rotated.decrypt(old)).toBe('123456');
    const renewed = rotated.reencrypt(old);
    expect(rotated.keyIdOf(renewed)).toBe('k2');
    expect(cipherWith(`k2:${KEY_2}`).decrypt(renewed)).toBe('123456');
  });

  it('names a missing key instead of failing obscurely', () => {
    const stored = cipherWith(`k1:${KEY_1}`).encrypt('x');
    expect(() => cipherWith(`k2:${KEY_2}`).decrypt(stored)).toThrow(/key "k1", which is not configured/);
  });
});
