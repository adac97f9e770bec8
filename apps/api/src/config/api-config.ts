/**
 * Every setting the API reads, validated once at start-up. Nothing else in the API reads
 * process.env: it receives this typed object through Nest's injector.
 */
import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUrl, Max, Min, validateSync } from 'class-validator';

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

  /** MongoDB connection string, database name included. */
  @IsString()
  @IsNotEmpty({ message: 'MONGODB_URI is required (npm start sets it from the database launcher)' })
  MONGODB_URI!: string;

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

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent' })
  LOG_LEVEL = 'info';

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
  DATABASE_TIMEOUT_MS = 2000;

  get publicUrl(): string {
    return (this.PUBLIC_URL ?? `http://localhost:${this.API_PORT}`).replace(/\/$/, '');
  }

  get secureCookies(): boolean {
    return this.COOKIE_SECURE ?? this.publicUrl.startsWith('https://');
  }
}

export class InvalidConfigError extends Error {}

/** Reads and validates the settings; throws one error naming every bad setting. */
export function loadApiConfig(env: NodeJS.ProcessEnv | Record<string, string | undefined>): ApiConfig {
  const known = Object.keys(new ApiConfig()).concat('MONGODB_URI', 'PUBLIC_URL', 'COOKIE_SECURE');
  const picked = Object.fromEntries(known.filter((key) => env[key] !== undefined).map((key) => [key, env[key]]));
  const config = plainToInstance(ApiConfig, picked);
  const errors = validateSync(config, { whitelist: true });
  if (errors.length > 0) {
    const messages = errors.flatMap((error) => Object.values(error.constraints ?? {}));
    throw new InvalidConfigError(`Invalid configuration: ${messages.join('; ')}`);
  }
  return config;
}
