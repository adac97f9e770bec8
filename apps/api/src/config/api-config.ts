/**
 * Every setting the API reads, validated once at start-up. Nothing else in the API reads
 * process.env: it receives this typed object through Nest's injector.
 */
import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUrl, Matches, Max, Min, validateSync } from 'class-validator';
import type { EncryptionKey } from '../common/crypto/token-cipher';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : value === true || value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

export class ApiConfig {
  /** Port the HTTP server listens on. */
  @Transform(toInt)
  @IsInt({ message: 'API_PORT must be an integer' })
  @Min(0)
  @Max(65535)
  API_PORT = 3000;

  /**
   * A private port for Prometheus and the orchestrator: `/metrics`, `/api/health/live` and
   * `/api/health/ready`, nothing else. The only way a worker exposes metrics (it has no public port).
   * Unset: no such listener.
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'METRICS_PORT must be an integer' })
  @Min(1, { message: 'METRICS_PORT must be between 1 and 65535' })
  @Max(65535, { message: 'METRICS_PORT must be between 1 and 65535' })
  METRICS_PORT?: number;

  /** Also serve `/metrics` on the public port (http instances); off by default, as metrics name queues, endpoints and counts. */
  @Transform(toBool)
  @IsBoolean({ message: 'METRICS_ON_PUBLIC_PORT must be true or false' })
  METRICS_ON_PUBLIC_PORT = false;

  /**
   * On SIGTERM, keep serving this long with readiness already 503 before closing the port, so a
   * load balancer stops sending requests first (set it to its probe interval times its threshold).
   */
  @Transform(toInt)
  @IsInt({ message: 'SHUTDOWN_DELAY_MS must be an integer' })
  @Min(0)
  @Max(120_000, { message: 'SHUTDOWN_DELAY_MS must be at most 120000' })
  SHUTDOWN_DELAY_MS = 0;

  /** MongoDB connection string, database name included. */
  @IsString()
  @IsNotEmpty({ message: 'MONGODB_URI is required (npm start sets it from the database launcher)' })
  MONGODB_URI!: string;

  /** Redis for background jobs (BullMQ), realtime fan-out between instances and shared rate limits. */
  @IsString()
  @IsNotEmpty({ message: 'REDIS_URL is required (npm start sets it from the Redis launcher)' })
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must start with redis:// or rediss://' })
  REDIS_URL!: string;

  /** Prefix of every Redis key this deployment writes, so several deployments (or test suites) can share one Redis. */
  @Matches(/^[A-Za-z0-9_-]{1,40}$/, { message: 'REDIS_KEY_PREFIX must be 1-40 letters, digits, - or _' })
  REDIS_KEY_PREFIX = 'waba';

  /**
   * What this process does: `http` (API, SPA and Socket.IO), `worker` (background jobs and their
   * schedules), or `all` (both, the default). Several of each may run against one database and Redis.
   */
  @IsIn(['http', 'worker', 'all'], { message: 'INSTANCE_ROLE must be http, worker or all' })
  INSTANCE_ROLE: 'http' | 'worker' | 'all' = 'all';

  /**
   * The CPU priority (Unix nice, 0-19) a `worker` process lowers itself to at start, so that on a
   * host it shares with `http` instances answering Meta comes first; idle CPU is still all its own.
   */
  @Transform(toInt)
  @IsInt({ message: 'WORKER_NICE must be an integer from 0 to 19' })
  @Min(0, { message: 'WORKER_NICE must be an integer from 0 to 19' })
  @Max(19, { message: 'WORKER_NICE must be an integer from 0 to 19' })
  WORKER_NICE = 10;

  /**
   * Express's `trust proxy` setting, for client addresses behind a load balancer: a hop count
   * (`1`), `true`, or a list of addresses/subnets. Unset: the socket's address is the client's.
   */
  @IsOptional()
  @IsString()
  TRUST_PROXY?: string;

  /** The URL people use to reach the SPA and API; used for cookies and OAuth redirects. */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'PUBLIC_URL must be an absolute http(s) URL' })
  PUBLIC_URL?: string;

  @Transform(toInt)
  @IsInt({ message: 'SESSION_TTL_HOURS must be an integer' })
  @Min(1)
  @Max(24 * 30)
  SESSION_TTL_HOURS = 12;

  /** Requests per minute and client address for sign-up and login. */
  @Transform(toInt)
  @IsInt({ message: 'AUTH_RATE_LIMIT_PER_MINUTE must be an integer' })
  @Min(1)
  AUTH_RATE_LIMIT_PER_MINUTE = 10;

  /** Failed or not, sign-in attempts on one account per 15 minutes, from any address. */
  @Transform(toInt)
  @IsInt({ message: 'LOGIN_ATTEMPTS_PER_ACCOUNT_PER_15_MINUTES must be an integer' })
  @Min(1)
  LOGIN_ATTEMPTS_PER_ACCOUNT_PER_15_MINUTES = 20;

  /** Requests per minute and tenant to the routes that call Meta (connect, import, manual add, refresh). */
  @Transform(toInt)
  @IsInt({ message: 'META_CALLS_PER_TENANT_PER_MINUTE must be an integer' })
  @Min(1)
  META_CALLS_PER_TENANT_PER_MINUTE = 30;

  /** The same per client address (several tenants behind one address share it). */
  @Transform(toInt)
  @IsInt({ message: 'META_CALLS_PER_ADDRESS_PER_MINUTE must be an integer' })
  @Min(1)
  META_CALLS_PER_ADDRESS_PER_MINUTE = 60;

  /** Requests per minute and client address to the public signup-link routes (opening, reporting progress, finishing). */
  @Transform(toInt)
  @IsInt({ message: 'SIGNUP_LINK_REQUESTS_PER_ADDRESS_PER_MINUTE must be an integer' })
  @Min(1)
  SIGNUP_LINK_REQUESTS_PER_ADDRESS_PER_MINUTE = 30;

  /** The same per signup link, whoever holds it. */
  @Transform(toInt)
  @IsInt({ message: 'SIGNUP_LINK_REQUESTS_PER_LINK_PER_MINUTE must be an integer' })
  @Min(1)
  SIGNUP_LINK_REQUESTS_PER_LINK_PER_MINUTE = 20;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent' })
  LOG_LEVEL = 'info';

  /**
   * `json` (one JSON object a line, for log collectors) or `pretty` (one readable line per request,
   * for a person at a terminal; `npm start` sets it). NODE_ENV=production always logs JSON.
   */
  @IsIn(['json', 'pretty'], { message: 'LOG_FORMAT must be json or pretty' })
  LOG_FORMAT: 'json' | 'pretty' = 'json';

  @IsOptional()
  @IsString()
  NODE_ENV?: string;

  /** The log format in effect: production is JSON whatever LOG_FORMAT says. */
  get logFormat(): 'json' | 'pretty' {
    return this.NODE_ENV === 'production' ? 'json' : this.LOG_FORMAT;
  }

  /** Folder of the built SPA, served at `/` when it exists. */
  @IsString()
  SPA_DIR = 'dist/apps/admin/browser';

  /** Set the Secure flag on cookies; defaults to true when PUBLIC_URL is https. */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'COOKIE_SECURE must be true or false' })
  COOKIE_SECURE?: boolean;

  /** How long a database call may wait for a server before the request fails with 503. */
  @Transform(toInt)
  @IsInt({ message: 'DATABASE_TIMEOUT_MS must be an integer' })
  @Min(100)
  DATABASE_TIMEOUT_MS = 1500;

  /**
   * `sandbox` (the default): Meta is apps/meta-sandbox and every Meta setting may fall back to the
   * sandbox's public values. `live`: real Meta; every Meta setting must be given, Meta's URLs and
   * PUBLIC_URL must be https, or the API refuses to start (see liveModeProblems).
   */
  @IsIn(['sandbox', 'live'], { message: 'META_MODE must be sandbox or live' })
  META_MODE: 'sandbox' | 'live' = 'sandbox';

  /** Meta's Graph API base (the sandbox by default). */
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'META_GRAPH_URL must be an absolute http(s) URL' })
  META_GRAPH_URL = 'http://localhost:4100';

  /** Base of Meta's OAuth dialog (`https://www.facebook.com` for real Meta). */
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'META_DIALOG_URL must be an absolute http(s) URL' })
  META_DIALOG_URL = 'http://localhost:4100';

  /** The JavaScript SDK the SPA loads for Embedded Signup. */
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'META_SDK_URL must be an absolute http(s) URL' })
  META_SDK_URL = 'http://localhost:4100/sdk.js';

  @Matches(/^v\d+\.\d+$/, { message: 'META_API_VERSION must look like v25.0' })
  META_API_VERSION = 'v25.0';

  @IsString()
  @IsNotEmpty({ message: 'META_APP_ID must not be empty' })
  META_APP_ID = '100000000000001';

  @IsString()
  @IsNotEmpty({ message: 'META_APP_SECRET must not be empty' })
  META_APP_SECRET = 'sandbox-app-secret';

  /** Facebook Login for Business configuration id used by Embedded Signup and the dialog. */
  @IsString()
  @IsNotEmpty({ message: 'META_CONFIG_ID must not be empty' })
  META_CONFIG_ID = 'sandbox-config-1';

  /** Token Meta echoes in the webhook verification handshake. */
  @IsString()
  @IsNotEmpty({ message: 'META_WEBHOOK_VERIFY_TOKEN must not be empty' })
  META_WEBHOOK_VERIFY_TOKEN = 'sandbox-verify-token';

  /** Per attempt of a Graph call; timeouts count as temporary failures (retried, never "reconnect"). */
  @Transform(toInt)
  @IsInt({ message: 'META_GRAPH_TIMEOUT_MS must be an integer' })
  @Min(100)
  META_GRAPH_TIMEOUT_MS = 10_000;

  /** How often a worker looks for stored webhook deliveries that never became jobs (Redis was down, a crash). */
  @Transform(toInt)
  @IsInt({ message: 'WEBHOOK_RECONCILE_INTERVAL_SECONDS must be an integer' })
  @Min(1)
  WEBHOOK_RECONCILE_INTERVAL_SECONDS = 30;

  /** Raw webhook deliveries are kept this long (operators read them; Meta retries for 7 days). */
  @Transform(toInt)
  @IsInt({ message: 'WEBHOOK_ARCHIVE_RETENTION_DAYS must be an integer' })
  @Min(8)
  WEBHOOK_ARCHIVE_RETENTION_DAYS = 30;

  /** Tenant events (the Events page) are kept this long. */
  @Transform(toInt)
  @IsInt({ message: 'TENANT_EVENT_RETENTION_DAYS must be an integer' })
  @Min(1)
  TENANT_EVENT_RETENTION_DAYS = 90;

  /** How often the retention clean-ups run (expired sessions, OAuth states and codes, old deliveries and events). */
  @Transform(toInt)
  @IsInt({ message: 'RETENTION_INTERVAL_MINUTES must be an integer' })
  @Min(1)
  RETENTION_INTERVAL_MINUTES = 60;

  /** How often every connected WABA's number health is read from Meta again (number-health module). */
  @Transform(toInt)
  @IsInt({ message: 'NUMBER_HEALTH_INTERVAL_MINUTES must be an integer' })
  @Min(1)
  NUMBER_HEALTH_INTERVAL_MINUTES = 360;

  /** How often every connected WABA's message templates are read from Meta in full (webhooks keep them current between reads). */
  @Transform(toInt)
  @IsInt({ message: 'TEMPLATE_SYNC_INTERVAL_MINUTES must be an integer' })
  @Min(1)
  TEMPLATE_SYNC_INTERVAL_MINUTES = 360;

  /** Keep the credential check's schedule: worker instances upsert it at start (or remove it when false). */
  @Transform(toBool)
  @IsBoolean({ message: 'TOKEN_CHECK_ENABLED must be true or false' })
  TOKEN_CHECK_ENABLED = true;

  /** How often the scheduled sweep queues the credentials due for a check. */
  @Transform(toInt)
  @IsInt({ message: 'TOKEN_CHECK_INTERVAL_SECONDS must be an integer' })
  @Min(1)
  TOKEN_CHECK_INTERVAL_SECONDS = 60;

  /** Token-check jobs one worker instance runs at the same time (`tokens check --concurrency` for its own worker). */
  @Transform(toInt)
  @IsInt({ message: 'TOKEN_CHECK_CONCURRENCY must be an integer' })
  @Min(1)
  @Max(200)
  TOKEN_CHECK_CONCURRENCY = 20;

  /**
   * Keys for encrypting Meta tokens and PINs: `id:base64key,id2:base64key2` (32-byte keys).
   * Several keys let old secrets decrypt while TOKEN_ENCRYPTION_ACTIVE_KEY encrypts new ones.
   */
  @IsString()
  @IsNotEmpty({ message: 'TOKEN_ENCRYPTION_KEYS is required (format id:base64-32-byte-key[,id:key])' })
  TOKEN_ENCRYPTION_KEYS!: string;

  /** Which key of TOKEN_ENCRYPTION_KEYS encrypts new secrets; the first one by default. */
  @IsOptional()
  @IsString()
  TOKEN_ENCRYPTION_ACTIVE_KEY?: string;

  get encryptionKeys(): EncryptionKey[] {
    return parseEncryptionKeys(this.TOKEN_ENCRYPTION_KEYS);
  }

  get activeEncryptionKey(): EncryptionKey {
    const keys = this.encryptionKeys;
    return keys.find((k) => k.id === this.TOKEN_ENCRYPTION_ACTIVE_KEY) ?? keys[0];
  }

  /** SMTP server for invitation emails (`smtp://user:pass@host:587`, `smtps://…`); unset: owners pass the link on themselves. */
  @IsOptional()
  @Matches(/^smtps?:\/\//, { message: 'SMTP_URL must start with smtp:// or smtps://' })
  SMTP_URL?: string;

  /** Sender of those emails. */
  @IsString()
  @IsNotEmpty({ message: 'SMTP_FROM must not be empty' })
  SMTP_FROM = 'WABA Connect <no-reply@localhost>';

  get servesHttp(): boolean {
    return this.INSTANCE_ROLE !== 'worker';
  }

  get runsJobs(): boolean {
    return this.INSTANCE_ROLE !== 'http';
  }

  /** TRUST_PROXY as Express wants it: a number of hops, a boolean, or the list as given. */
  get trustProxy(): number | boolean | string | undefined {
    const value = this.TRUST_PROXY?.trim();
    if (!value) return undefined;
    if (/^\d+$/.test(value)) return Number(value);
    if (value === 'true' || value === 'false') return value === 'true';
    return value;
  }

  get publicUrl(): string {
    return (this.PUBLIC_URL ?? `http://localhost:${this.API_PORT}`).replace(/\/$/, '');
  }

  get secureCookies(): boolean {
    return this.COOKIE_SECURE ?? this.publicUrl.startsWith('https://');
  }
}

export class InvalidConfigError extends Error {}

function parseEncryptionKeys(value: string): EncryptionKey[] {
  return value.split(',').map((entry) => {
    const [id, key] = entry.trim().split(':');
    return { id, key: Buffer.from(key ?? '', 'base64') };
  });
}

/** Checks what class-validator cannot express: key format and the active key's presence. */
function encryptionKeyProblems(config: ApiConfig): string[] {
  if (!config.TOKEN_ENCRYPTION_KEYS) return [];
  const problems: string[] = [];
  const keys = parseEncryptionKeys(config.TOKEN_ENCRYPTION_KEYS);
  for (const key of keys) {
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(key.id ?? '')) problems.push('TOKEN_ENCRYPTION_KEYS: every key needs an id of letters, digits, - or _');
    else if (key.key.length !== 32) problems.push(`TOKEN_ENCRYPTION_KEYS: key "${key.id}" must be 32 bytes, base64-encoded`);
  }
  const ids = keys.map((k) => k.id);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) {
    problems.push(`TOKEN_ENCRYPTION_KEYS: key id "${id}" appears more than once (a secret would be decrypted with the wrong key)`);
  }
  if (config.TOKEN_ENCRYPTION_ACTIVE_KEY && !keys.some((k) => k.id === config.TOKEN_ENCRYPTION_ACTIVE_KEY)) {
    problems.push(`TOKEN_ENCRYPTION_ACTIVE_KEY "${config.TOKEN_ENCRYPTION_ACTIVE_KEY}" is not one of TOKEN_ENCRYPTION_KEYS`);
  }
  return problems;
}

/** Settings that are valid alone but not together. */
function portProblems(config: ApiConfig): string[] {
  const clash = config.METRICS_PORT !== undefined && config.METRICS_PORT === config.API_PORT;
  return clash ? [`METRICS_PORT must differ from API_PORT (${config.API_PORT}): the metrics port is private`] : [];
}

/** Settings live mode needs given explicitly: their defaults are the sandbox's public values. */
const LIVE_REQUIRED = ['META_APP_ID', 'META_APP_SECRET', 'META_CONFIG_ID', 'META_WEBHOOK_VERIFY_TOKEN', 'META_GRAPH_URL', 'META_DIALOG_URL', 'META_SDK_URL', 'PUBLIC_URL'] as const;
const LIVE_HTTPS = ['META_GRAPH_URL', 'META_DIALOG_URL', 'META_SDK_URL', 'PUBLIC_URL'] as const;

/**
 * In live mode a forgotten setting must stop the start, not fall back to the sandbox: with the
 * sandbox's public app secret anyone could sign a webhook (a forged PARTNER_REMOVED revokes a
 * tenant's WABA), and tenants' tokens would go over plain HTTP.
 */
function liveModeProblems(config: ApiConfig, given: Record<string, unknown>): string[] {
  if (config.META_MODE !== 'live') return [];
  const problems: string[] = [];
  for (const name of LIVE_REQUIRED) if (given[name] === undefined) problems.push(`${name} is required when META_MODE=live`);
  for (const name of LIVE_HTTPS) if (given[name] !== undefined && !String(config[name]).startsWith('https://')) problems.push(`${name} must be an https URL when META_MODE=live`);
  const sandboxDefaults = new ApiConfig();
  for (const name of ['META_APP_SECRET', 'META_WEBHOOK_VERIFY_TOKEN'] as const) {
    if (given[name] !== undefined && config[name] === sandboxDefaults[name]) problems.push(`${name} must not be the sandbox's public value when META_MODE=live`);
  }
  return problems;
}

/** Reads and validates the settings; throws one error naming every bad setting. */
export function loadApiConfig(env: NodeJS.ProcessEnv | Record<string, string | undefined>): ApiConfig {
  // Empty strings count as unset; whitelist validation drops every variable that is not a setting.
  const picked = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const config = plainToInstance(ApiConfig, picked);
  const errors = validateSync(config, { whitelist: true });
  const messages = errors.flatMap((error) => Object.values(error.constraints ?? {})).concat(encryptionKeyProblems(config), liveModeProblems(config, picked), portProblems(config));
  if (messages.length > 0) {
    throw new InvalidConfigError(`Invalid configuration: ${messages.join('; ')}`);
  }
  return config;
}
