import type { ApiErrorBody, SessionView, UserView } from '@waba/contracts';

/** Test data for the SPA's unit tests: small builders, override what the test is about. */
let sequence = 0;

/** `UserRole` is an enum; tests (like the SPA) speak its string values. */
type UserOverrides = Partial<Omit<UserView, 'role'>> & { role?: 'owner' | 'admin' };

export function createUser(overrides: UserOverrides = {}): UserView {
  sequence += 1;
  const { role = 'owner', ...rest } = overrides;
  return {
    id: `user-${sequence}`,
    name: 'Ada Owner',
    email: `ada${sequence}@example.com`,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...rest,
    role: role as UserView['role'],
  };
}

export function createSession(user: UserOverrides = {}, accountName = 'Acme Traders'): SessionView {
  sequence += 1;
  return {
    user: createUser(user),
    account: { id: `account-${sequence}`, name: accountName, createdAt: '2026-01-01T00:00:00.000Z' },
  };
}

export function apiError(statusCode: number, message: string, details?: string[]): ApiErrorBody {
  return { statusCode, error: 'Error', message, ...(details ? { details } : {}) };
}
