import { mongo } from 'mongoose';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * A webhook body as the inbox and the archive store it: deflated. Meta's JSON (wamids, repeated
 * keys) shrinks 3-4x at the fastest level for about 0.1 ms per 10 KB body, while each stored byte
 * costs the database far more: FerretDB turns every document into JSON for PostgreSQL and back, and
 * each delete statement on the inbox reads it whole (webhooks.repository.ts). Figures: README,
 * `bench:store-ops`.
 */
export function packBody(rawBody: string): mongo.Binary {
  return new mongo.Binary(deflateRawSync(rawBody, { level: 1 }));
}

/** The body of a stored inbox entry or archived delivery; documents written before bodies were deflated hold `rawBody` as text. */
export function unpackBody(stored: { body?: mongo.Binary | Buffer | null; rawBody?: string | null }): string {
  if (typeof stored.rawBody === 'string') return stored.rawBody;
  if (!stored.body) throw new Error('A stored webhook delivery has no body');
  return inflateRawSync(Buffer.isBuffer(stored.body) ? stored.body : stored.body.buffer).toString('utf8');
}
