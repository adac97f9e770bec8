import type { ApiErrorCode, ErrorSupportInfo } from './error-catalogue';

/** The one error body every API error uses; `message` is safe to show to a person. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  /** The error class (libs/contracts error-catalogue.ts); the SPA's words and actions key on it. */
  code?: ApiErrorCode;
  /** What the person can do about it. */
  action?: string;
  /** One line per invalid field when validation failed. */
  details?: string[];
  /** Raw codes and trace ids, for "Details for support" only. */
  support?: ErrorSupportInfo;
}
