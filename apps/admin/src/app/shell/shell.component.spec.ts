import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { buttonNamed } from '../../testing/dom';
import { apiError, createConnection, createSession, createStatus, createWaba } from '../../testing/factories';
import { provideFakeRealtime } from '../../testing/realtime';
import { apiErrorInterceptor } from '../core/http/api-error.interceptor';
import { NotificationService } from '../core/notify/notification.service';
import { SessionService } from '../core/session/session.service';
import { ShellComponent } from './shell.component';

@Component({ selector: 'app-page-stub', template: '<h1>page</h1>' })
class PageStub {}

describe('ShellComponent', () => {
  let backend: HttpTestingController;
  let harness: RouterTestingHarness;
  const notifications = { showError: vi.fn(), showSuccess: vi.fn() };

  beforeEach(async () => {
    notifications.showError.mockReset();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'login', component: PageStub },
          {
            path: '',
            component: ShellComponent,
            children: ['overview', 'whatsapp', 'events', 'settings'].map((path) => ({ path, component: PageStub })),
          },
        ]),
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
        { provide: NotificationService, useValue: notifications },
        ...provideFakeRealtime().providers,
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    const session = TestBed.inject(SessionService);
    const login = session.login({ email: 'ada@example.com', password: 'correct horse battery' });
    backend.expectOne('/api/auth/login').flush(createSession({ name: 'Ada Lovelace' }, 'Acme Traders'));
    await login;
    harness = await RouterTestingHarness.create('/settings');
  });

  /** The shell asks for the WhatsApp status once, for its "Reconnect needed" indicator. */
  async function answerStatus(status = createStatus([])): Promise<void> {
    backend.expectOne('/api/integrations/whatsapp/oauth/status').flush(status);
    await harness.fixture.whenStable();
  }

  afterEach(() => backend.verify());

  const root = () => harness.fixture.nativeElement as HTMLElement;
  const logoutButton = () => buttonNamed(harness.fixture, /Log(ging)? out/);

  it('shows who is signed in and the four sections, marking the current one for screen readers', async () => {
    await answerStatus();
    expect(root().querySelector('mat-toolbar')?.textContent).toContain('Ada Lovelace');
    expect(root().querySelector('mat-toolbar')?.textContent).toContain('Acme Traders');

    const links = Array.from(root().querySelectorAll('[role="navigation"][aria-label="Main"] a'));
    expect(links.map((link) => link.textContent?.trim())).toEqual(['Overview', 'WhatsApp', 'Templates', 'Events', 'Settings']);
    expect(links.map((link) => link.getAttribute('href'))).toEqual(['/overview', '/whatsapp', '/templates', '/events', '/settings']);
    expect(links.filter((link) => link.getAttribute('aria-current') === 'page').map((link) => link.textContent?.trim())).toEqual(['Settings']);
  });

  it('logs out and goes to the login page', async () => {
    await answerStatus();
    logoutButton().click();
    backend.expectOne('/api/auth/logout').flush(null, { status: 204, statusText: 'No Content' });
    (await vi.waitFor(() => backend.expectOne('/api/auth/me'))).flush(apiError(401, 'Not signed in'), {
      status: 401,
      statusText: 'Unauthorized',
    });

    const router = TestBed.inject(Router);
    await vi.waitFor(() => expect(router.url).toBe('/login'));
    expect(TestBed.inject(SessionService).isSignedIn()).toBe(false);
  });

  it('stays signed in and says why when logging out fails', async () => {
    await answerStatus();
    logoutButton().click();
    backend.expectOne('/api/auth/logout').error(new ProgressEvent('error'), { status: 0 });

    await vi.waitFor(() => expect(notifications.showError).toHaveBeenCalledWith(expect.stringMatching(/^Cannot reach the server/)));
    expect(TestBed.inject(Router).url).toBe('/settings');
    await harness.fixture.whenStable();
    expect(logoutButton().disabled).toBe(false);
  });

  it('shows no reconnect indicator while every credential works', async () => {
    await answerStatus(createStatus([createWaba()]));

    expect(root().querySelector('mat-toolbar')?.textContent).not.toContain('Reconnect needed');
  });

  it('links to the WhatsApp page when a credential needs a new consent', async () => {
    await answerStatus(createStatus([createWaba(), createWaba({ connection: createConnection({ status: 'needs_reauth' }) })]));

    const link = Array.from(root().querySelectorAll('mat-toolbar a')).find((a) => a.textContent?.includes('Reconnect needed'));
    expect(link?.getAttribute('href')).toBe('/whatsapp');
  });
});
