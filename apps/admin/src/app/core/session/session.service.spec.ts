import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { apiError, createSession } from '../../../testing/factories';
import { ApiError } from '../http/api-error';
import { apiErrorInterceptor } from '../http/api-error.interceptor';
import { SessionService } from './session.service';

describe('SessionService', () => {
  let session: SessionService;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([apiErrorInterceptor])), provideHttpClientTesting()],
    });
    session = TestBed.inject(SessionService);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  /** The next request to `url`, once the code under test has got round to sending it. */
  function nextRequest(url: string) {
    return vi.waitFor(() => http.expectOne(url));
  }

  it('starts signed out', () => {
    expect(session.session()).toBeNull();
    expect(session.isSignedIn()).toBe(false);
  });

  it('load() takes the session from GET /api/auth/me', async () => {
    const view = createSession({ name: 'Grace', role: 'admin' }, 'Grace Bakery');

    const loading = session.load();
    const request = http.expectOne('/api/auth/me');
    expect(request.request.method).toBe('GET');
    request.flush(view);

    await expect(loading).resolves.toEqual(view);
    expect(session.user()?.name).toBe('Grace');
    expect(session.account()?.name).toBe('Grace Bakery');
    expect(session.isSignedIn()).toBe(true);
    expect(session.isOwner()).toBe(false);
  });

  it('load() resolves to null, not an error, when nobody is signed in (401)', async () => {
    const loading = session.load();
    http.expectOne('/api/auth/me').flush(apiError(401, 'Not signed in'), { status: 401, statusText: 'Unauthorized' });

    await expect(loading).resolves.toBeNull();
    expect(session.isSignedIn()).toBe(false);
  });

  it('load() rejects with a readable ApiError when the server cannot be reached', async () => {
    const loading = session.load();
    http.expectOne('/api/auth/me').error(new ProgressEvent('error'), { status: 0 });

    await expect(loading).rejects.toBeInstanceOf(ApiError);
    await expect(loading).rejects.toThrow(/Cannot reach the server/);
  });

  it('ensureLoaded() asks the API once, however many guards are waiting', async () => {
    const view = createSession();
    const first = session.ensureLoaded();
    const second = session.ensureLoaded();
    http.expectOne('/api/auth/me').flush(view);

    await expect(first).resolves.toEqual(view);
    await expect(second).resolves.toEqual(view);
    await expect(session.ensureLoaded()).resolves.toEqual(view);
    http.expectNone('/api/auth/me');
  });

  it('ensureLoaded() asks again after a failed attempt', async () => {
    const failed = session.ensureLoaded();
    http.expectOne('/api/auth/me').flush(apiError(503, 'The database is unavailable'), {
      status: 503,
      statusText: 'Service Unavailable',
    });
    await expect(failed).rejects.toThrow('The database is unavailable');

    const retry = session.ensureLoaded();
    http.expectOne('/api/auth/me').flush(apiError(401, 'Not signed in'), { status: 401, statusText: 'Unauthorized' });
    await expect(retry).resolves.toBeNull();
  });

  it('login() posts the credentials and remembers the session', async () => {
    const view = createSession({ email: 'ada@example.com' });

    const login = session.login({ email: 'ada@example.com', password: 'correct horse battery' });
    const request = http.expectOne('/api/auth/login');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ email: 'ada@example.com', password: 'correct horse battery' });
    request.flush(view);

    await expect(login).resolves.toEqual(view);
    expect(session.session()).toEqual(view);
    expect(session.isOwner()).toBe(true);
    // Known now: guards must not ask `/me` again.
    await expect(session.ensureLoaded()).resolves.toEqual(view);
  });

  it('login() rejects with the API message and stays signed out on wrong credentials', async () => {
    const login = session.login({ email: 'ada@example.com', password: 'wrong password' });
    http.expectOne('/api/auth/login').flush(apiError(401, 'Email or password is incorrect'), { status: 401, statusText: 'Unauthorized' });

    await expect(login).rejects.toThrow('Email or password is incorrect');
    expect(session.isSignedIn()).toBe(false);
  });

  it('signUp() posts the new account and remembers the session', async () => {
    const view = createSession({ name: 'Ada' }, 'Acme');
    const request = { accountName: 'Acme', name: 'Ada', email: 'ada@example.com', password: 'long enough pw' };

    const signingUp = session.signUp(request);
    const sent = http.expectOne('/api/auth/signup');
    expect(sent.request.method).toBe('POST');
    expect(sent.request.body).toEqual(request);
    sent.flush(view, { status: 201, statusText: 'Created' });

    await expect(signingUp).resolves.toEqual(view);
    expect(session.account()?.name).toBe('Acme');
  });

  it('logout() posts, forgets the session, and re-checks /me to pick up a fresh XSRF token', async () => {
    const login = session.login({ email: 'ada@example.com', password: 'correct horse battery' });
    http.expectOne('/api/auth/login').flush(createSession());
    await login;

    const logout = session.logout();
    const request = http.expectOne('/api/auth/logout');
    expect(request.request.method).toBe('POST');
    request.flush(null, { status: 204, statusText: 'No Content' });
    (await nextRequest('/api/auth/me')).flush(apiError(401, 'Not signed in'), { status: 401, statusText: 'Unauthorized' });
    await logout;

    expect(session.session()).toBeNull();
  });

  it('logout() counts "already signed out" (401) as done', async () => {
    const logout = session.logout();
    http.expectOne('/api/auth/logout').flush(apiError(401, 'Not signed in'), { status: 401, statusText: 'Unauthorized' });
    (await nextRequest('/api/auth/me')).flush(apiError(401, 'Not signed in'), { status: 401, statusText: 'Unauthorized' });

    await expect(logout).resolves.toBeUndefined();
    expect(session.isSignedIn()).toBe(false);
  });

  it('logout() keeps the session and rejects when the server cannot be reached', async () => {
    const login = session.login({ email: 'ada@example.com', password: 'correct horse battery' });
    http.expectOne('/api/auth/login').flush(createSession());
    await login;

    const logout = session.logout();
    http.expectOne('/api/auth/logout').error(new ProgressEvent('error'), { status: 0 });

    await expect(logout).rejects.toThrow(/Cannot reach the server/);
    expect(session.isSignedIn()).toBe(true);
  });

  it('clear() forgets the session locally', async () => {
    const login = session.login({ email: 'ada@example.com', password: 'correct horse battery' });
    http.expectOne('/api/auth/login').flush(createSession());
    await login;

    session.clear();

    expect(session.session()).toBeNull();
    await expect(session.ensureLoaded()).resolves.toBeNull();
  });
});
