import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';
import { SessionService } from '../session/session.service';
import { toApiError } from './api-error';

/** Calls whose 401 means "wrong credentials" or "not signed in yet", not "session expired". */
const AUTH_URL = /^(?:https?:\/\/[^/]+)?\/api\/auth\//;

/**
 * Turns every failed API call into an `ApiError` with a readable message, and treats a 401
 * on any other call as an expired session: forget it and send the user to the login page.
 */
export const apiErrorInterceptor: HttpInterceptorFn = (request, next) => {
  const session = inject(SessionService);
  const router = inject(Router);

  return next(request).pipe(
    catchError((error: unknown) => {
      if (!(error instanceof HttpErrorResponse)) {
        return throwError(() => error);
      }
      const apiError = toApiError(error);
      if (error.status === 401 && !AUTH_URL.test(request.url)) {
        session.clear();
        const current = router.url;
        if (!current.startsWith('/login')) {
          void router.navigate(['/login'], {
            queryParams: { returnUrl: current, reason: 'expired' },
          });
        }
      }
      return throwError(() => apiError);
    }),
  );
};
