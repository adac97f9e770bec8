import type { Params } from 'nestjs-pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import pretty from 'pino-pretty';

export type LogFormat = 'json' | 'pretty';

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

/**
 * One line per request, secrets redacted: JSON for log collectors, or (`pretty`, `npm start`) a
 * readable line through pino-pretty, "GET /api/health 200 3ms", without headers or request objects.
 */
export function loggerParams(level: string, destination?: DestinationStream, format: LogFormat = 'json'): Params {
  const options: Options = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: IncomingMessage & { id?: unknown }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
      // The status only: response headers hold secrets (the OAuth state in a redirect's Location, cookies) and noise.
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    autoLogging: { ignore: (req: IncomingMessage) => req.url === '/api/health' },
    ...(format === 'pretty' ? { customSuccessMessage: requestLine, customErrorMessage: (req, res) => requestLine(req, res, undefined) } : {}),
  };
  if (format === 'pretty') {
    const stream = pretty({
      destination: destination ?? 1,
      sync: true,
      singleLine: true,
      translateTime: 'SYS:HH:MM:ss.l',
      // The request line already says what req/res hold; pid and host are noise at a terminal.
      ignore: 'pid,hostname,req,res,responseTime,context',
      messageFormat: '{if context}[{context}] {end}{msg}',
    });
    return { pinoHttp: [options, stream] };
  }
  return { pinoHttp: destination ? [options, destination] : options };
}

function requestLine(req: IncomingMessage, res: ServerResponse, responseTime: number | undefined): string {
  return `${req.method} ${redactUrl(req.url)} ${res.statusCode}${responseTime === undefined ? '' : ` ${Math.round(responseTime)}ms`}`;
}
