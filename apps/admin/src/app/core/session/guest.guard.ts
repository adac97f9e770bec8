import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { SessionService } from './session.service';

/** Login and sign-up pages: a signed-in user has nothing to do there and goes to the overview. */
export const guestGuard: CanActivateFn = async () => {
  const session = inject(SessionService);
  const router = inject(Router);

  // If the API cannot be reached, show the page anyway: submitting the form reports the problem.
  const current = await session.ensureLoaded().catch(() => null);
  return current ? router.createUrlTree(['/overview']) : true;
};
