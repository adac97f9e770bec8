import { applyDecorators } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import type { ReferenceObject } from '@nestjs/swagger';
import type contractSchemas from './contract-schemas.json';

/** A type exported by `libs/contracts`; the generated file lists them, so a typo does not compile. */
export type ContractSchemaName = keyof typeof contractSchemas;

export const contractRef = (name: ContractSchemaName): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });

/** What each error status means on this API; every one answers with `ApiErrorBody` (see common/errors/all-exceptions.filter.ts). */
const ERROR_MEANINGS = {
  400: 'Invalid request: `message` says what is wrong, `details` has one line per invalid field',
  401: 'Not signed in, or the session has ended',
  403: 'Refused: missing or wrong CSRF token (X-XSRF-Token header), or not allowed for your role',
  404: 'Not found in your account',
  409: 'Conflicts with what is already stored',
  410: 'No longer valid (expired or already used)',
  413: 'The request body is too large',
  429: 'Too many requests: wait the seconds given in Retry-After',
  502: 'Meta did not answer or refused; `message` says what to do',
  503: 'The database is unavailable; try again shortly',
} as const;
export type ErrorStatus = keyof typeof ERROR_MEANINGS;

export interface ApiRouteSpec {
  summary: string;
  description?: string;
  /** The success status; 200 unless given. */
  status?: 200 | 201 | 204;
  /** The success body: a contract type, `[type]` for a list of them, `null` for none (204). */
  returns: ContractSchemaName | [ContractSchemaName] | null;
  errors: ErrorStatus[];
}

/**
 * Documents one route: summary, success body and every error status with the one error shape.
 * Request bodies, path and query parameters come from the handler's own `@Body()`, `@Param()`
 * and `@Query()`; their schemas from the contracts (openapi-document.ts).
 */
export function ApiRoute(spec: ApiRouteSpec): MethodDecorator {
  const status = spec.status ?? 200;
  const schema = spec.returns === null ? undefined : Array.isArray(spec.returns) ? { type: 'array' as const, items: contractRef(spec.returns[0]) } : contractRef(spec.returns);
  return applyDecorators(
    ApiOperation({ summary: spec.summary, description: spec.description }),
    ApiResponse({ status, description: status === 204 ? 'Done; no body' : 'Success', ...(schema ? { schema } : {}) }),
    ...spec.errors.map((error) => ApiErrorResponse(error)),
  );
}

export function ApiErrorResponse(status: ErrorStatus, description: string = ERROR_MEANINGS[status]): MethodDecorator & ClassDecorator {
  return ApiResponse({
    status,
    description,
    schema: contractRef('ApiErrorBody'),
    ...(status === 429 ? { headers: { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' } } } } : {}),
  });
}
