/**
 * What every request goes through before Nest sees it: cookies read without surprises, and JSON
 * bodies refused with a clear 4xx when they cannot be handled (malformed, too large, nested too
 * deeply, not valid Unicode) instead of a 500 or a 404 further down.
 */
import { parse as parseCookies } from 'cookie';
import type { NextFunction, Request, Response } from 'express';
import type { ApiErrorBody } from '@waba/contracts';

/** A lone surrogate: a UTF-16 half without its other half (cannot be stored or encoded). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Deeper than any request of ours; validation recurses, so far deeper would overflow the stack. */
export const MAX_JSON_DEPTH = 32;

/**
 * `req.cookies` as plain strings. cookie-parser turns `j:`-prefixed values into objects, which no
 * cookie of ours is; a value that is not valid percent-encoding is kept as it came.
 */
export function readCookies(request: Request, _response: Response, next: NextFunction): void {
  request.cookies = request.headers.cookie ? parseCookies(request.headers.cookie) : {};
  next();
}

/** Refuses parsed JSON bodies that are nested too deeply or hold text that is not valid Unicode. */
export function checkJsonBody(request: Request, response: Response, next: NextFunction): void {
  const problem = jsonProblem(request.body);
  if (problem) return void response.status(400).json(errorBody(400, problem));
  next();
}

/** What a body-parser failure means for the caller, by its `type`. */
const BODY_PARSER_MESSAGES: Record<string, string> = {
  'entity.too.large': 'The request body is too large',
  'entity.parse.failed': 'The request body is not valid JSON',
  'charset.unsupported': 'The request body is in a character set we do not read: send UTF-8',
  'encoding.unsupported': 'The request body is compressed in a way we do not read: send it uncompressed, or gzip or deflate',
};

/**
 * Body-parser failures (bad JSON, too large, unknown charset or Content-Encoding, a body that
 * does not decompress) as our error shape, right where they happen: all are the caller's 4xx.
 */
export function bodyParserErrors(error: unknown, _request: Request, response: Response, next: NextFunction): void {
  // body-parser's failures are http-errors: a 4xx status, and a `type` or (decompression) `expose`.
  const failure = error as { type?: unknown; status?: unknown; expose?: unknown };
  const clientError = typeof failure?.status === 'number' && failure.status >= 400 && failure.status < 500;
  if (!clientError || (typeof failure.type !== 'string' && failure.expose !== true)) return next(error);
  const status = failure.status as number;
  const message = typeof failure.type === 'string' ? BODY_PARSER_MESSAGES[failure.type] : 'The request body could not be decompressed as its Content-Encoding says';
  response.status(status).json(errorBody(status, message ?? 'The request body could not be read'));
}

/** Walks the value without recursion, so a hostile body cannot exhaust the stack here either. */
export function jsonProblem(value: unknown): string | null {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length) {
    const { value: current, depth } = stack.pop() as { value: unknown; depth: number };
    if (typeof current === 'string') {
      if (LONE_SURROGATE.test(current)) return 'The request contains text that is not valid Unicode';
    } else if (Array.isArray(current) || isPlainObject(current)) {
      if (depth >= MAX_JSON_DEPTH) return `The request body is nested too deeply (more than ${MAX_JSON_DEPTH} levels)`;
      for (const [key, child] of Object.entries(current)) {
        if (LONE_SURROGATE.test(key)) return 'The request contains text that is not valid Unicode';
        stack.push({ value: child, depth: depth + 1 });
      }
    }
  }
  return null;
}

const STATUS_NAMES: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 413: 'Payload Too Large', 415: 'Unsupported Media Type' };

/** What the JSON and form parsers build; a raw body (the webhook's Buffer) is bytes, not a tree to walk. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function errorBody(statusCode: number, message: string): ApiErrorBody {
  return { statusCode, error: STATUS_NAMES[statusCode] ?? 'Bad Request', message };
}
