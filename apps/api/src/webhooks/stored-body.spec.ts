import { mongo } from 'mongoose';
import { packBody, unpackBody } from './stored-body';

describe('stored webhook bodies', () => {
  const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: { text: 'Grüße 👋', ids: ['wamid.A', 'wamid.B'] } }] }] });

  it('gives back exactly the text that was packed, whether the driver returns a Binary or a Buffer', () => {
    const packed = packBody(body);
    expect(packed).toBeInstanceOf(mongo.Binary);
    expect(unpackBody({ body: packed })).toBe(body);
    expect(unpackBody({ body: Buffer.from(packed.buffer) })).toBe(body);
  });

  it('stores a repetitive body in a fraction of its size', () => {
    const batch = JSON.stringify({ statuses: Array.from({ length: 50 }, (_, i) => ({ id: `wamid.${i}`, status: 'delivered', recipient_id: '447700900123' })) });
    expect(packBody(batch).length()).toBeLessThan(Buffer.byteLength(batch) / 4);
  });

  it('reads documents stored before bodies were deflated, and refuses one with no body at all', () => {
    expect(unpackBody({ rawBody: body })).toBe(body);
    expect(() => unpackBody({})).toThrow('A stored webhook delivery has no body');
  });
});
