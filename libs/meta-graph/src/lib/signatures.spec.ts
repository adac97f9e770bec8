import { createHmac } from 'node:crypto';
import { appSecretProof, signWebhookPayload, verifyWebhookSignature } from './signatures';

describe('webhook signatures', () => {
  const secret = 'app-secret';
  const body = Buffer.from('{"text":"Grüße \\u00e4 😀"}', 'utf8');

  it('signs as sha256=<hex HMAC-SHA256 of the raw bytes>', () => {
    const expected = createHmac('sha256', secret).update(body).digest('hex');
    expect(signWebhookPayload(body, secret)).toBe(`sha256=${expected}`);
    expect(signWebhookPayload(body.toString('utf8'), secret)).toBe(`sha256=${expected}`);
  });

  it('verifies its own signature, including non-ASCII bytes', () => {
    expect(verifyWebhookSignature(body, signWebhookPayload(body, secret), secret)).toBe(true);
  });

  it('rejects a signature over re-serialized JSON of a non-ASCII body', () => {
    const raw = Buffer.from('{"text":"\\u00e4"}');
    const reserialized = JSON.stringify(JSON.parse(raw.toString()));
    expect(verifyWebhookSignature(raw, signWebhookPayload(reserialized, secret), secret)).toBe(false);
  });

  it.each([undefined, '', 'sha256=', 'sha1=abc', `sha256=${'z'.repeat(64)}`, `sha256=${'a'.repeat(63)}`])('returns false for a missing or malformed header %p', (header) => {
    expect(verifyWebhookSignature(body, header, secret)).toBe(false);
  });

  it('rejects a signature made with another secret or over other bytes', () => {
    expect(verifyWebhookSignature(body, signWebhookPayload(body, 'other'), secret)).toBe(false);
    expect(verifyWebhookSignature(Buffer.from('x'), signWebhookPayload(body, secret), secret)).toBe(false);
  });

  it('computes appsecret_proof as the HMAC of the token keyed with the app secret', () => {
    expect(appSecretProof('EAAtoken', secret)).toBe(createHmac('sha256', secret).update('EAAtoken').digest('hex'));
  });
});
