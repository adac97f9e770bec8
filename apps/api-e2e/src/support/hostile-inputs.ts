/**
 * fast-check arbitraries for hostile HTTP input: JSON bodies (prototype pollution, Mongo operators,
 * deep nesting, huge strings, lone surrogates), raw bodies with lying content types, query strings,
 * headers and cookies. Shared by the security suites; nothing here knows a route.
 */
import fc from 'fast-check';

/**
 * encodeURIComponent that does not throw on lone surrogates: they go out as the (invalid UTF-8)
 * bytes of their code unit, which is what a hostile client would send.
 */
export function percentEncode(value: string): string {
  let out = '';
  for (const ch of value) {
    try {
      out += encodeURIComponent(ch);
    } catch {
      const unit = ch.charCodeAt(0);
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    }
  }
  return out;
}

const HOSTILE_STRINGS = [
  '',
  ' ',
  '%',
  '%00',
  '%zz',
  '\u0000',
  '\ud800',
  '../../../../etc/passwd',
  '..%2f..%2f',
  '{"$ne":null}',
  '$where',
  'j:{"$gt":""}',
  '__proto__',
  'constructor',
  'prototype',
  '<script>alert(1)</script>',
  "' OR '1'='1",
  'NaN',
  '-1',
  '1e309',
  '9'.repeat(40),
  'x'.repeat(5000),
  '0x10',
  'true',
  'null',
  'undefined',
];

export const hostileString = (extra: string[] = []): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS, ...extra) },
    { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
    { weight: 1, arbitrary: fc.stringMatching(/^\d{1,32}$/) },
  );

/** Values of any JSON type, with hostile keys and Mongo operators mixed in. */
export const hostileJson = (extra: string[] = []): fc.Arbitrary<unknown> => {
  const key = fc.oneof(
    fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      '$ne',
      '$gt',
      '$where',
      '$regex',
      'toString',
      'hasOwnProperty',
      'code',
      'state',
      'email',
      'password',
      'phoneNumberId',
      'wabaId',
      'phoneNumberIds',
      'accessToken',
      'sessionInfo',
    ),
    fc.string({ maxLength: 12 }),
  );
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      hostileString(extra),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 5 }),
      fc.dictionary(key, tie('value'), { maxKeys: 5 }),
    ),
  }));
  return value;
};

/** JSON nested deeper than any request of ours (the app refuses beyond 32 levels). */
export const deeplyNested = fc.integer({ min: 20, max: 2000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth));

export interface RawBody {
  contentType?: string;
  payload: string | Buffer;
}

/** A body as bytes on the wire: JSON, broken JSON, forms, binary, huge, with a content type that may lie. */
export const rawBody = (fields: string[] = [], extra: string[] = []): fc.Arbitrary<RawBody | undefined> =>
  fc.oneof(
    fc.constant(undefined),
    // Shaped like the route's own body: its fields with hostile values.
    fc.dictionary(fc.constantFrom(...fields, '__proto__', 'extra'), hostileJson(extra), { maxKeys: 4 }).map((body) => ({ contentType: 'application/json', payload: JSON.stringify(body) })),
    hostileJson(extra).map((body) => ({ contentType: 'application/json', payload: JSON.stringify(body) ?? 'null' })),
    fc.string({ maxLength: 200 }).map((payload) => ({ contentType: 'application/json', payload })),
    deeplyNested.map((payload) => ({ contentType: 'application/json', payload })),
    fc
      .constantFrom('{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"polluted":1}}}', '{"a":1,"a":2}', '{', '"\\ud800"', '{"code":"\\ud83d"}', '[]', 'null', '0')
      .map((payload) => ({ contentType: 'application/json', payload })),
    fc.integer({ min: 90_000, max: 400_000 }).map((size) => ({ contentType: 'application/json', payload: JSON.stringify({ code: 'x'.repeat(size) }) })),
    fc.string({ maxLength: 200 }).map((payload) => ({ contentType: 'application/x-www-form-urlencoded', payload })),
    fc
      .constantFrom('a[b][c][d]=1', 'email[$ne]=x&password[$ne]=x', '__proto__[x]=1', 'code=%', 'phoneNumberIds[]=1&phoneNumberIds[]=1')
      .map((payload) => ({ contentType: 'application/x-www-form-urlencoded', payload })),
    fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ contentType: 'application/octet-stream', payload: Buffer.from(bytes) })),
    fc
      .tuple(
        fc.constantFrom(
          'application/json; charset=utf-16',
          'application/json; charset=koi8-r',
          'text/plain',
          'multipart/form-data; boundary=x',
          'application/xml',
          'application/json;;',
          '*/*',
          'application/json; charset=nope',
        ),
        fc.string({ maxLength: 80 }),
      )
      .map(([contentType, payload]) => ({ contentType, payload })),
  );

/** A query string, sometimes not even valid percent-encoding. */
export const queryString = (names: string[] = []): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constant(''),
    fc
      .array(
        fc.tuple(
          fc.constantFrom(...names, 'limit', 'page', 'pageSize', 'types', 'status', 'hub.mode', 'hub.verify_token', 'hub.challenge', '__proto__', 'constructor[prototype][x]', 'a[]', 'a[b]'),
          hostileString(),
        ),
        { maxLength: 5 },
      )
      .map((pairs) => pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&')),
    fc.constantFrom('limit=%', '%=%', 'page=1&page=2', 'limit[]=1', 'limit=99999999999999999999', 'pageSize=-5', 'types=%E0%A4%A', '&&&', '=', 'a=' + 'b'.repeat(5000)),
  );

const headerValue = fc.oneof(fc.stringMatching(/^[\x20-\x7e]{0,200}$/), fc.constantFrom('', ' ', 'null', 'sha256=', 'sha256=zz', 'https://evil.example', '\t', 'gzip', 'identity', 'br'));

/** Extra request headers: spoofed origins and forwarding, junk CSRF tokens, odd accept and content headers. */
export const hostileHeaders = fc.dictionary(
  fc.constantFrom(
    'Content-Encoding',
    'Origin',
    'Referer',
    'X-Forwarded-For',
    'X-Forwarded-Proto',
    'X-Forwarded-Host',
    'X-Real-IP',
    'X-XSRF-TOKEN',
    'X-Hub-Signature-256',
    'Accept',
    'Accept-Encoding',
    'Accept-Language',
    'If-None-Match',
    'Range',
    'X-HTTP-Method-Override',
    'Authorization',
    'X-Custom',
  ),
  headerValue,
  { maxKeys: 4 },
);

/** A Cookie header: malformed session cookies, `j:` JSON cookies, duplicates, many cookies, huge values. */
export const hostileCookies = fc.oneof(
  fc.constant(''),
  fc.constantFrom(
    'waba_session=%',
    'waba_session=%E0%A4%A',
    'waba_session=j:{"$ne":null}',
    'waba_session=j:["a"]',
    'XSRF-TOKEN=j:{}',
    'waba_session=',
    'waba_session',
    '=;=;=',
    'waba_session="quoted"',
    'waba_session=a; waba_session=b',
  ),
  fc
    .array(fc.tuple(fc.constantFrom('waba_session', 'XSRF-TOKEN', 'connect.sid', 'a', '__proto__', 'constructor'), fc.stringMatching(/^[\x21-\x7e]{0,60}$/)), { maxLength: 6 })
    .map((pairs) => pairs.map(([k, v]) => `${k}=${v.replace(/;/g, '')}`).join('; ')),
  fc.integer({ min: 50, max: 400 }).map((n) => Array.from({ length: n }, (_, i) => `c${i}=${i}`).join('; ')),
  fc.integer({ min: 1000, max: 12_000 }).map((n) => `waba_session=${'a'.repeat(n)}`),
);
