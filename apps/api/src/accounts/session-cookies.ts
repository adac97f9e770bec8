import type { Response } from 'express';
import type { ApiConfig } from '../config/api-config';
import { CSRF_COOKIE, setCsrfCookie } from '../common/auth/csrf';
import type { IssuedSession } from './auth.service';

export const SESSION_COOKIE = 'waba_session';

export function setSessionCookies(response: Response, session: IssuedSession, config: ApiConfig): void {
  response.cookie(SESSION_COOKIE, session.sessionToken, {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies,
    path: '/',
    expires: session.expiresAt,
  });
  setCsrfCookie(response, session.csrfToken, config);
}

export function clearSessionCookies(response: Response): void {
  response.clearCookie(SESSION_COOKIE, { path: '/' });
  response.clearCookie(CSRF_COOKIE, { path: '/' });
}
