// Error classification by Graph `code` / `error_subcode`, never by HTTP status alone: Meta answers
// rate limits with HTTP 400 (docs/meta.md §7). The HTTP status only matters without a code.

/**
 * - `credential`: the token is dead (190, 102, 0); reconnect, never retry.
 * - `permission`: the token lacks a permission or asset (3, 10, 200-299); never retry.
 * - `rate_limited`: back off for `retryAfterMs` (4, 17, 32, 341, 613, 80007, 80008, 130429, 131048, 131056).
 * - `blocked`: Meta refuses the action for a long time (133016 register limit, 368 policy block);
 *   never retry automatically.
 * - `temporary`: Meta's side is failing (1, 2, 131000, 131016, 131057, 5xx, network, timeout);
 *   the client retries these a bounded number of times.
 * - `invalid`: the request is wrong (100 and its subcodes, e.g. a reused code or redirect_uri mismatch).
 * - `unknown`: anything else.
 */
export type GraphErrorKind = 'credential' | 'permission' | 'rate_limited' | 'blocked' | 'temporary' | 'invalid' | 'unknown';

/** Subcodes of 190 (docs/meta.md §5). */
export const TOKEN_ERROR_SUBCODES = {
  appNotInstalled: 458,
  userCheckpointed: 459,
  passwordChanged: 460,
  expired: 463,
  unconfirmedUser: 464,
  invalidToken: 467,
  invalidSession: 492,
} as const;

const CREDENTIAL_CODES = new Set<number>([0, 102, 190]);
const PERMISSION_CODES = new Set<number>([3, 10]);
const RATE_LIMIT_CODES = new Set<number>([4, 17, 32, 341, 613, 80007, 80008, 130429, 131048, 131056]);
/** Meta's answer to the 11th register or deregister of a number within 72 hours. */
const REGISTRATION_LIMIT_CODE = 133016;
const BLOCKED_CODES = new Set<number>([REGISTRATION_LIMIT_CODE, 368]);
const TEMPORARY_CODES = new Set<number>([1, 2, 131000, 131016, 131057]);
const INVALID_CODES = new Set<number>([100]);

export const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;
const REGISTER_BLOCK_MS = 72 * 60 * 60 * 1000;

export interface GraphErrorFacts {
  code?: number;
  subcode?: number;
  httpStatus?: number;
  /** Raw `X-Business-Use-Case-Usage` header, read for the rate-limit wait. */
  businessUseCaseUsage?: string | null;
}

export interface GraphErrorClass {
  kind: GraphErrorKind;
  retryable: boolean;
  retryAfterMs?: number;
}

export function classifyGraphError(facts: GraphErrorFacts): GraphErrorClass {
  const { code } = facts;
  if (code === undefined) {
    const serverSide = facts.httpStatus === undefined || facts.httpStatus >= 500;
    return serverSide ? { kind: 'temporary', retryable: true } : { kind: 'unknown', retryable: false };
  }
  if (CREDENTIAL_CODES.has(code)) return { kind: 'credential', retryable: false };
  if (PERMISSION_CODES.has(code) || (code >= 200 && code <= 299)) {
    return { kind: 'permission', retryable: false };
  }
  if (RATE_LIMIT_CODES.has(code)) {
    const wait = regainAccessMs(facts.businessUseCaseUsage);
    return { kind: 'rate_limited', retryable: true, retryAfterMs: wait ?? DEFAULT_RATE_LIMIT_WAIT_MS };
  }
  if (BLOCKED_CODES.has(code)) {
    return code === REGISTRATION_LIMIT_CODE ? { kind: 'blocked', retryable: false, retryAfterMs: REGISTER_BLOCK_MS } : { kind: 'blocked', retryable: false };
  }
  if (TEMPORARY_CODES.has(code)) return { kind: 'temporary', retryable: true };
  if (INVALID_CODES.has(code)) return { kind: 'invalid', retryable: false };
  return { kind: 'unknown', retryable: false };
}

interface BusinessUseCaseUsageEntry {
  type?: string;
  call_count?: number;
  total_cputime?: number;
  total_time?: number;
  estimated_time_to_regain_access?: number;
}

/**
 * The longest `estimated_time_to_regain_access` (minutes) across all businesses in an
 * `X-Business-Use-Case-Usage` header, in ms; undefined when absent, zero or unparsable.
 */
export function regainAccessMs(header: string | null | undefined): number | undefined {
  if (!header) return undefined;
  let usage: Record<string, BusinessUseCaseUsageEntry[]>;
  try {
    usage = JSON.parse(header) as Record<string, BusinessUseCaseUsageEntry[]>;
  } catch {
    return undefined; // a malformed header must not hide the real error
  }
  const minutes = Object.values(usage)
    .flatMap((entries) => (Array.isArray(entries) ? entries : []))
    .map((entry) => entry.estimated_time_to_regain_access ?? 0);
  const longest = Math.max(0, ...minutes);
  return longest > 0 ? longest * 60_000 : undefined;
}

export interface MetaGraphErrorInit extends GraphErrorClass {
  message: string;
  code?: number;
  subcode?: number;
  fbtraceId?: string;
  httpStatus?: number;
  /** Method and path of the failed call, without query string (never holds secrets). */
  endpoint: string;
}

/** Thrown by `MetaGraphClient` for every failed call; its message never contains secrets. */
export class MetaGraphError extends Error {
  override name = 'MetaGraphError';
  readonly kind: GraphErrorKind;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly code?: number;
  readonly subcode?: number;
  readonly fbtraceId?: string;
  readonly httpStatus?: number;
  readonly endpoint: string;

  constructor(init: MetaGraphErrorInit) {
    super(init.message);
    this.kind = init.kind;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
    this.code = init.code;
    this.subcode = init.subcode;
    this.fbtraceId = init.fbtraceId;
    this.httpStatus = init.httpStatus;
    this.endpoint = init.endpoint;
  }
}

/**
 * Meta refused a register (or deregister) because the number spent its 10 attempts in 72 hours
 * (133016): registering is blocked for 72 hours, whatever is tried meanwhile.
 */
export function isRegistrationLimit(error: unknown): error is MetaGraphError {
  return error instanceof MetaGraphError && error.code === REGISTRATION_LIMIT_CODE;
}
