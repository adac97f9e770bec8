import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { apiError, createSession } from '../../../testing/factories';
import { SessionService } from '../session/session.service';
import { ApiError } from './api-error';
import { apiErrorInterceptor } from './api-error.interceptor';

@Component({ template: '' })
class BlankPage {}

describe('apiErrorInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  let router: Router;
  let session: SessionService;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'login', component: BlankPage },
          { path: 'settings', component: BlankPage },
        ]),
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    session = TestBed.inject(SessionService);
  });

  afterEach(() => backend.verify());

  async function signIn(): Promise<void> {
    const login = session.login({ email: 'ada@example.com', password: 'correct horse battery' });
    backend.expectOne('/api/auth/login').flush(createSession());
    await login;
  }

  it('lets successful responses through untouched', async () => {
    const result = firstValueFrom(http.get<{ ok: boolean }>('/api/health'));
    backend.expectOne('/api/health').flush({ ok: true });

    await expect(result).resolves.toEqual({ ok: true });
  });

  it('turns an API error body into an ApiError carrying its message and details', async () => {
    const result = firstValueFrom(http.post('/api/accounts/users', {}));
    backend.expectOne('/api/accounts/users').flush(apiError(400, 'Invalid request: name must not be empty', ['name must not be empty']), {
      status: 400,
      statusText: 'Bad Request',
    });

    const error = await result.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, message: 'Invalid request: name must not be empty' });
    expect((error as ApiError).details).toEqual(['name must not be empty']);
  });

  it('reports status 0 as "Cannot reach the server"', async () => {
    const result = firstValueFrom(http.get('/api/accounts/users'));
    backend.expectOne('/api/accounts/users').error(new ProgressEvent('error'), { status: 0 });

    await expect(result).rejects.toThrow(/^Cannot reach the server/);
  });

  it('on a 401 from a non-auth call, forgets the session and sends the user to login with a way back', async () => {
    await signIn();
    await router.navigateByUrl('/settings');

    const result = firstValueFrom(http.get('/api/accounts/users'));
    backend.expectOne('/api/accounts/users').flush(apiError(401, 'Your session has expired'), { status: 401, statusText: 'Unauthorized' });

    await expect(result).rejects.toThrow('Your session has expired');
    expect(session.isSignedIn()).toBe(false);
    await vi.waitFor(() => expect(router.url).toBe('/login?returnUrl=%2Fsettings&reason=expired'));
  });

  it('leaves a 401 from the auth endpoints to the caller (wrong password is not an expired session)', async () => {
    await signIn();
    await router.navigateByUrl('/settings');

    const result = firstValueFrom(http.post('/api/auth/login', { email: 'ada@example.com', password: 'nope' }));
    backend.expectOne('/api/auth/login').flush(apiError(401, 'Email or password is incorrect'), { status: 401, statusText: 'Unauthorized' });

    await expect(result).rejects.toThrow('Email or password is incorrect');
    expect(session.isSignedIn()).toBe(true);
    expect(router.url).toBe('/settings');
  });

  it('does not clear the session on other errors such as 403', async () => {
    await signIn();

    const result = firstValueFrom(http.post('/api/accounts/users', {}));
    backend.expectOne('/api/accounts/users').flush(apiError(403, 'Only the account owner can add admins'), { status: 403, statusText: 'Forbidden' });

    await expect(result).rejects.toThrow('Only the account owner can add admins');
    expect(session.isSignedIn()).toBe(true);
  });
});
