import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { apiError, createSession, createUser } from '../../testing/factories';
import { alertText, buttonNamed, byId, type } from '../../testing/dom';
import { apiErrorInterceptor } from '../core/http/api-error.interceptor';
import { NotificationService } from '../core/notify/notification.service';
import { SessionService } from '../core/session/session.service';
import { SettingsPage } from './settings.page';

describe('SettingsPage', () => {
  let backend: HttpTestingController;
  const notifications = { showError: vi.fn(), showSuccess: vi.fn() };

  async function render(role: 'owner' | 'admin') {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
        { provide: NotificationService, useValue: notifications },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    const view = createSession({ name: 'Ada', role });
    const login = TestBed.inject(SessionService).login({ email: 'ada@example.com', password: 'correct horse battery' });
    backend.expectOne('/api/auth/login').flush(view);
    await login;

    const fixture = TestBed.createComponent(SettingsPage);
    fixture.detectChanges();
    backend.expectOne('/api/accounts/users').flush([view.user, createUser({ name: 'Bob', role: 'admin' })]);
    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect((fixture.nativeElement as HTMLElement).querySelectorAll('tr[mat-row]').length).toBe(2);
    });
    return fixture;
  }

  afterEach(() => backend.verify());

  const rows = (root: HTMLElement) =>
    Array.from(root.querySelectorAll('tr[mat-row]')).map((row) =>
      Array.from(row.querySelectorAll('td')).map((cell) => cell.textContent?.replace(/\s+/g, ' ').trim()),
    );

  it("lists the account's users with name, email and role", async () => {
    const fixture = await render('owner');
    const root = fixture.nativeElement as HTMLElement;

    expect(rows(root)).toEqual([
      ['Ada (you)', expect.stringContaining('@example.com'), 'Owner'],
      ['Bob', expect.stringContaining('@example.com'), 'Admin'],
    ]);
    expect(Array.from(root.querySelectorAll('th')).map((th) => th.textContent?.trim())).toEqual(['Name', 'Email', 'Role']);
  });

  it('offers the add-admin form only to owners', async () => {
    const fixture = await render('admin');

    expect((fixture.nativeElement as HTMLElement).querySelector('app-invite-admin-form')).toBeNull();
    expect((fixture.nativeElement as HTMLElement).textContent).toContain('Only the account owner can add admins.');
  });

  it('lets an owner add an admin, who then appears in the table', async () => {
    const fixture = await render('owner');

    type(byId<HTMLInputElement>(fixture, 'invite-name'), 'Carol');
    type(byId<HTMLInputElement>(fixture, 'invite-email'), 'carol@example.com');
    type(byId<HTMLInputElement>(fixture, 'invite-password'), 'first password 1');
    buttonNamed(fixture, 'Add admin').click();

    const request = backend.expectOne('/api/accounts/users');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ name: 'Carol', email: 'carol@example.com', password: 'first password 1' });
    request.flush(createUser({ name: 'Carol', email: 'carol@example.com', role: 'admin' }), {
      status: 201,
      statusText: 'Created',
    });

    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(rows(fixture.nativeElement as HTMLElement).map((row) => row[0])).toContain('Carol');
    });
    expect(notifications.showSuccess).toHaveBeenCalledWith('Carol can now log in as an admin.');
    expect(byId<HTMLInputElement>(fixture, 'invite-name').value).toBe('');
  });

  it('shows the API message when the email is already used', async () => {
    const fixture = await render('owner');

    type(byId<HTMLInputElement>(fixture, 'invite-name'), 'Carol');
    type(byId<HTMLInputElement>(fixture, 'invite-email'), 'carol@example.com');
    type(byId<HTMLInputElement>(fixture, 'invite-password'), 'first password 1');
    buttonNamed(fixture, 'Add admin').click();
    backend
      .expectOne('/api/accounts/users')
      .flush(apiError(409, 'An account with this email already exists'), { status: 409, statusText: 'Conflict' });

    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(alertText(fixture)).toContain('An account with this email already exists');
    });
    expect(rows(fixture.nativeElement as HTMLElement)).toHaveLength(2);
  });
});
