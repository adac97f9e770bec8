import type { Params } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';

/** Query parameters that carry secrets or single-use credentials. */
const SECRET_QUERY_KEYS = /^(code|state|access_token|input_token|fb_exchange_token|client_secret|appsecret_proof|hub\.verify_token|token)$/i;

/** Object paths pino replaces with "[redacted]" wherever they appear in a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-xsrf-token"]',
  'req.headers["x-hub-signature-256"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.accessToken',
  '*.access_token',
  '*.token',
  '*.pin',
  '*.appSecret',
  '*.secret',
];

export function redactUrl(url: string | undefined): string | undefined {
  if (!url || !url.includes('?')) return url;
  const [path, query] = url.split('?', 2);
  const params = new URLSearchParams(query);
  for (const key of [...params.keys()]) if (SECRET_QUERY_KEYS.test(key)) params.set(key, '[redacted]');
  return `${path}?${params.toString()}`;
}

/** Structured JSON logs, one line per request, secrets redacted. */
export function loggerParams(level: string, destination?: DestinationStream): Params {
  const options: Options = {
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: IncomingMessage & { id?: unknown }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
        // The status only: response headers hold secrets (the OAuth state in a redirect's Location, cookies) and noise.
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req: IncomingMessage) => req.url === '/api/health' },
  };
  return { pinoHttp: destination ? [options, destination] : options };
}
