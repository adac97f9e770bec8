import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { messageOf } from '../http/api-error';
import { NotificationService } from '../notify/notification.service';
import { SessionService } from './session.service';

/** Signed-in users only; everyone else goes to the login page and comes back afterwards. */
export const authGuard: CanActivateFn = async (_route, state) => {
  const session = inject(SessionService);
  const router = inject(Router);
  const notifications = inject(NotificationService);

  const current = await session.ensureLoaded().catch((error: unknown) => {
    notifications.showError(messageOf(error));
    return null;
  });
  if (current) {
    return true;
  }
  return router.createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
};
