import type { Response } from 'express';
import type { ApiConfig } from '../config/api-config';
import { newCsrfToken, setCsrfCookie } from '../common/auth/csrf';
import { SESSION_COOKIE } from '../common/auth/session-cookie';
import type { IssuedSession } from './auth.service';

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

/** Ends the session in the browser and hands it a fresh anonymous CSRF token for the next login. */
export function clearSessionCookies(response: Response, config: ApiConfig): void {
  response.clearCookie(SESSION_COOKIE, { path: '/' });
  setCsrfCookie(response, newCsrfToken(), config);
}
