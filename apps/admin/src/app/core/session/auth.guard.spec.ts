import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { apiError, createSession } from '../../../testing/factories';
import { apiErrorInterceptor } from '../http/api-error.interceptor';
import { NotificationService } from '../notify/notification.service';
import { authGuard } from './auth.guard';
import { guestGuard } from './guest.guard';

@Component({ selector: 'app-login-stub', template: '<h1>login page</h1>' })
class LoginStub {}

@Component({ selector: 'app-protected-stub', template: '<h1>protected page</h1>' })
class ProtectedStub {}

describe('authGuard and guestGuard', () => {
  let backend: HttpTestingController;
  let router: Router;
  const notifications = { showError: vi.fn(), showSuccess: vi.fn() };

  beforeEach(() => {
    notifications.showError.mockReset();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'login', component: LoginStub, canActivate: [guestGuard] },
          { path: 'signup', component: LoginStub, canActivate: [guestGuard] },
          { path: 'overview', component: ProtectedStub, canActivate: [authGuard] },
          { path: 'settings', component: ProtectedStub, canActivate: [authGuard] },
        ]),
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
        { provide: NotificationService, useValue: notifications },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
  });

  afterEach(() => backend.verify());

  /** Navigates while answering the session check the guard makes. */
  async function navigate(url: string, answer: (request: ReturnType<HttpTestingController['expectOne']>) => void) {
    const harness = await RouterTestingHarness.create();
    const navigation = harness.navigateByUrl(url);
    answer(await vi.waitFor(() => backend.expectOne('/api/auth/me')));
    await navigation;
    return harness;
  }

  const signedOut = (request: ReturnType<HttpTestingController['expectOne']>) => request.flush(apiError(401, 'Not signed in'), { status: 401, statusText: 'Unauthorized' });
  const signedIn = (request: ReturnType<HttpTestingController['expectOne']>) => request.flush(createSession());

  it('authGuard sends a signed-out visitor to login, remembering where they were going', async () => {
    const harness = await navigate('/settings', signedOut);

    expect(router.url).toBe('/login?returnUrl=%2Fsettings');
    expect(harness.routeNativeElement?.textContent).toContain('login page');
  });

  it('authGuard lets a signed-in user through', async () => {
    const harness = await navigate('/settings', signedIn);

    expect(router.url).toBe('/settings');
    expect(harness.routeNativeElement?.textContent).toContain('protected page');
  });

  it('authGuard sends the user to login and says why when the server cannot be reached', async () => {
    const harness = await RouterTestingHarness.create();
    const navigation = harness.navigateByUrl('/overview');
    // Both guards ask: the auth guard for /overview, then the guest guard for /login.
    (await vi.waitFor(() => backend.expectOne('/api/auth/me'))).error(new ProgressEvent('error'), { status: 0 });
    (await vi.waitFor(() => backend.expectOne('/api/auth/me'))).error(new ProgressEvent('error'), { status: 0 });
    await navigation;

    expect(router.url).toBe('/login?returnUrl=%2Foverview');
    expect(notifications.showError).toHaveBeenCalledWith(expect.stringMatching(/^Cannot reach the server/));
  });

  it('guestGuard sends a signed-in user from login to the overview', async () => {
    const harness = await navigate('/login', signedIn);

    expect(router.url).toBe('/overview');
    expect(harness.routeNativeElement?.textContent).toContain('protected page');
  });

  it('guestGuard shows the sign-up page to a signed-out visitor', async () => {
    const harness = await navigate('/signup', signedOut);

    expect(router.url).toBe('/signup');
    expect(harness.routeNativeElement?.textContent).toContain('login page');
  });

  it('guestGuard still shows the login page when the server cannot be reached', async () => {
    await navigate('/login', (request) => request.error(new ProgressEvent('error'), { status: 0 }));

    expect(router.url).toBe('/login');
  });
});
