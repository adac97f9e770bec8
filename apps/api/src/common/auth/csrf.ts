import { CanActivate, ExecutionContext, Injectable, NestMiddleware } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { ApiConfig } from '../../config/api-config';
import { ForbiddenError } from '../errors/domain-errors';
import { SKIP_CSRF } from './auth.decorators';

/** Angular's HttpClient reads this cookie and echoes it in the header on every unsafe request. */
export const CSRF_COOKIE = 'XSRF-TOKEN';
export const CSRF_HEADER = 'x-xsrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function newCsrfToken(): string {
  return randomBytes(24).toString('base64url');
}

export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function setCsrfCookie(response: Response, token: string, config: ApiConfig): void {
  response.cookie(CSRF_COOKIE, token, { httpOnly: false, sameSite: 'strict', secure: config.secureCookies, path: '/' });
}

export function isUnsafeMethod(request: Request): boolean {
  return !SAFE_METHODS.has(request.method);
}

/** Hands every browser a CSRF token before its first state-changing call (sign-up, login). */
@Injectable()
export class CsrfCookieMiddleware implements NestMiddleware {
  constructor(private readonly config: ApiConfig) {}

  use(request: Request, response: Response, next: NextFunction): void {
    if (!request.cookies?.[CSRF_COOKIE]) setCsrfCookie(response, newCsrfToken(), this.config);
    next();
  }
}

/**
 * Double-submit check for every unsafe request: the header must equal the cookie, which a
 * cross-site page can neither read nor set. Signed-in requests are also checked against the
 * token bound to the session (SessionGuard).
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (!isUnsafeMethod(request)) return true;
    if (this.reflector.getAllAndOverride<boolean>(SKIP_CSRF, [context.getHandler(), context.getClass()])) return true;
    const header = request.get(CSRF_HEADER);
    const cookie = request.cookies?.[CSRF_COOKIE] as string | undefined;
    if (!header || !cookie || !sameSecret(header, cookie)) {
      throw new ForbiddenError('Missing or invalid CSRF token: send the XSRF-TOKEN cookie value in the X-XSRF-TOKEN header');
    }
    return true;
  }
}
