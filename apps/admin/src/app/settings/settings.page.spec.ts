import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { CreatedInvitationView, InvitationView } from '@waba/contracts';
import { apiError, createSession, createUser } from '../../testing/factories';
import { alertText, buttonNamed, byId, type } from '../../testing/dom';
import { apiErrorInterceptor } from '../core/http/api-error.interceptor';
import { NotificationService } from '../core/notify/notification.service';
import { SessionService } from '../core/session/session.service';
import { SettingsPage } from './settings.page';

function createInvitation(overrides: Partial<InvitationView> = {}): InvitationView {
  return {
    id: 'invitation-1',
    email: 'carol@example.com',
    role: 'admin' as InvitationView['role'],
    invitedByName: 'Ada',
    createdAt: '2026-01-01T00:00:00.000Z',
    expiresAt: '2026-01-08T00:00:00.000Z',
    ...overrides,
  };
}

describe('SettingsPage', () => {
  let backend: HttpTestingController;
  const notifications = { showError: vi.fn(), showSuccess: vi.fn() };
  const bob = createUser({ name: 'Bob', role: 'admin' });

  async function render(role: 'owner' | 'admin', invitations: InvitationView[] = []) {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([apiErrorInterceptor])), provideHttpClientTesting(), { provide: NotificationService, useValue: notifications }],
    });
    backend = TestBed.inject(HttpTestingController);
    const view = createSession({ name: 'Ada', role });
    const login = TestBed.inject(SessionService).login({ email: 'ada@example.com', password: 'correct horse battery' });
    backend.expectOne('/api/auth/login').flush(view);
    await login;

    const fixture = TestBed.createComponent(SettingsPage);
    fixture.detectChanges();
    backend.expectOne('/api/accounts/users').flush([view.user, bob]);
    if (role === 'owner') backend.expectOne('/api/accounts/invitations').flush(invitations);
    await settle(fixture, () => (fixture.nativeElement as HTMLElement).querySelectorAll('.users-table:not(.invitations-table) tr[mat-row]').length === 2);
    return fixture;
  }

  async function settle(fixture: ReturnType<typeof TestBed.createComponent<SettingsPage>>, condition: () => boolean) {
    await vi.waitFor(async () => {
      await fixture.whenStable();
      fixture.detectChanges();
      expect(condition()).toBe(true);
    });
  }

  afterEach(() => {
    backend.verify();
    vi.restoreAllMocks();
    notifications.showSuccess.mockReset();
  });

  const rows = (root: HTMLElement, table = '.users-table:not(.invitations-table)') =>
    Array.from(root.querySelectorAll(`${table} tr[mat-row]`)).map((row) => Array.from(row.querySelectorAll('td')).map((cell) => cell.textContent?.replace(/\s+/g, ' ').trim()));
  const labelled = <T extends HTMLElement>(root: HTMLElement, label: string) => {
    const element = root.querySelector<T>(`[aria-label="${label}"]`);
    if (!element) throw new Error(`nothing labelled "${label}"`);
    return element;
  };

  it("lists the account's users; an admin sees roles as text, no invitations and no actions", async () => {
    const fixture = await render('admin');
    const root = fixture.nativeElement as HTMLElement;

    expect(rows(root)).toEqual([
      ['Ada (you)', expect.stringContaining('@example.com'), 'Admin'],
      ['Bob', expect.stringContaining('@example.com'), 'Admin'],
    ]);
    expect(root.querySelector('select')).toBeNull();
    expect(root.querySelector('app-invite-user-form')).toBeNull();
    expect(root.textContent).toContain('Only an owner of the account can invite people.');
    expect(root.textContent).not.toContain('Pending invitations');
    expect(root.querySelector('app-change-password-form')).not.toBeNull();
  });

  it('lets an owner invite by email and role, shows the link to pass on, and lists the invitation', async () => {
    const fixture = await render('owner');
    const root = fixture.nativeElement as HTMLElement;
    expect(root.querySelector('label[for="invite-email"]')?.textContent).toContain('Email');
    expect(root.querySelector('label[for="invite-role"]')?.textContent).toContain('Role');

    type(byId<HTMLInputElement>(fixture, 'invite-email'), 'carol@example.com');
    const role = byId<HTMLSelectElement>(fixture, 'invite-role');
    role.value = 'owner';
    role.dispatchEvent(new Event('change'));
    buttonNamed(fixture, 'Send invitation').click();

    const request = backend.expectOne('/api/accounts/invitations');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ email: 'carol@example.com', role: 'owner' });
    const created: CreatedInvitationView = { ...createInvitation({ role: 'owner' as InvitationView['role'] }), link: 'http://localhost/invite#secret-token', emailed: false };
    request.flush(created, { status: 201, statusText: 'Created' });

    await settle(fixture, () => root.querySelector('#invitation-link') !== null);
    expect(labelled<HTMLInputElement>(root, 'Invitation link for carol@example.com').value).toBe('http://localhost/invite#secret-token');
    expect(root.textContent).toContain('Send this link to carol@example.com yourself');
    expect(rows(root, '.invitations-table')).toEqual([['carol@example.com', 'Owner', expect.any(String), 'Withdraw']]);
    expect(notifications.showSuccess).toHaveBeenCalledWith('Invitation for carol@example.com created.');
    expect(byId<HTMLInputElement>(fixture, 'invite-email').value).toBe('');
  });

  it('says when the link was emailed', async () => {
    const fixture = await render('owner');
    type(byId<HTMLInputElement>(fixture, 'invite-email'), 'carol@example.com');
    buttonNamed(fixture, 'Send invitation').click();
    backend.expectOne('/api/accounts/invitations').flush({ ...createInvitation(), link: 'http://localhost/invite#t', emailed: true }, { status: 201, statusText: 'Created' });
    await settle(fixture, () => (fixture.nativeElement as HTMLElement).textContent?.includes('We emailed this link to carol@example.com') ?? false);
  });

  it('shows the API message when the email already has an account', async () => {
    const fixture = await render('owner');
    type(byId<HTMLInputElement>(fixture, 'invite-email'), 'bob@example.com');
    buttonNamed(fixture, 'Send invitation').click();
    backend.expectOne('/api/accounts/invitations').flush(apiError(409, 'bob@example.com already has a WABA Connect account'), { status: 409, statusText: 'Conflict' });
    await settle(fixture, () => alertText(fixture).includes('bob@example.com already has a WABA Connect account'));
  });

  it('withdraws a pending invitation', async () => {
    const fixture = await render('owner', [createInvitation()]);
    const root = fixture.nativeElement as HTMLElement;
    await settle(fixture, () => rows(root, '.invitations-table').length === 1);
    labelled<HTMLButtonElement>(root, 'Withdraw the invitation for carol@example.com').click();
    const request = backend.expectOne('/api/accounts/invitations/invitation-1');
    expect(request.request.method).toBe('DELETE');
    request.flush(null, { status: 204, statusText: 'No Content' });
    await settle(fixture, () => root.textContent?.includes('No invitations are waiting to be accepted.') ?? false);
  });

  it("changes a user's role from a labelled select", async () => {
    const fixture = await render('owner');
    const root = fixture.nativeElement as HTMLElement;
    const select = labelled<HTMLSelectElement>(root, 'Role of Bob');
    select.value = 'owner';
    select.dispatchEvent(new Event('change'));
    const request = backend.expectOne(`/api/accounts/users/${bob.id}`);
    expect(request.request.method).toBe('PATCH');
    expect(request.request.body).toEqual({ role: 'owner' });
    request.flush({ ...bob, role: 'owner' });
    await settle(fixture, () => notifications.showSuccess.mock.calls.some(([m]) => m === 'Bob is now an owner.'));
  });

  it('explains why the last owner cannot be demoted, and shows the role unchanged', async () => {
    const fixture = await render('owner');
    const root = fixture.nativeElement as HTMLElement;
    const select = labelled<HTMLSelectElement>(root, 'Role of Ada');
    select.value = 'admin';
    select.dispatchEvent(new Event('change'));
    backend
      .expectOne((r) => r.method === 'PATCH' && r.url.startsWith('/api/accounts/users/user-'))
      .flush(apiError(409, 'Every account needs an owner: make someone else an owner first'), { status: 409, statusText: 'Conflict' });
    await settle(fixture, () => alertText(fixture).includes('Every account needs an owner'));
    expect(labelled<HTMLSelectElement>(root, 'Role of Ada').value).toBe('owner');
  });

  it('removes a user after confirmation, and not without it', async () => {
    const fixture = await render('owner');
    const root = fixture.nativeElement as HTMLElement;
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);

    labelled<HTMLButtonElement>(root, 'Remove Bob').click();
    backend.expectNone(`/api/accounts/users/${bob.id}`);
    labelled<HTMLButtonElement>(root, 'Remove Bob').click();
    expect(confirm).toHaveBeenLastCalledWith(expect.stringContaining('Remove Bob'));
    const request = backend.expectOne(`/api/accounts/users/${bob.id}`);
    expect(request.request.method).toBe('DELETE');
    request.flush(null, { status: 204, statusText: 'No Content' });
    await settle(fixture, () => rows(root).length === 1);
    expect(notifications.showSuccess).toHaveBeenCalledWith('Bob was removed.');
  });

  it('changes the password with the current one, and shows a wrong current password', async () => {
    const fixture = await render('admin');
    const root = fixture.nativeElement as HTMLElement;
    expect(root.querySelector('label[for="current-password"]')?.textContent).toContain('Current password');
    expect(root.querySelector('label[for="new-password"]')?.textContent).toContain('New password');

    type(byId<HTMLInputElement>(fixture, 'current-password'), 'wrong one');
    type(byId<HTMLInputElement>(fixture, 'new-password'), 'a brand new password');
    buttonNamed(fixture, 'Change password').click();
    const refused = backend.expectOne('/api/auth/password');
    expect(refused.request.body).toEqual({ currentPassword: 'wrong one', newPassword: 'a brand new password' });
    refused.flush(apiError(400, 'Your current password is not correct'), { status: 400, statusText: 'Bad Request' });
    await settle(fixture, () => alertText(fixture).includes('Your current password is not correct'));

    type(byId<HTMLInputElement>(fixture, 'current-password'), 'correct horse battery');
    buttonNamed(fixture, 'Change password').click();
    backend.expectOne('/api/auth/password').flush(null, { status: 204, statusText: 'No Content' });
    await settle(fixture, () => notifications.showSuccess.mock.calls.some(([m]) => m === 'Password changed. Your other sessions were signed out.'));
    expect(byId<HTMLInputElement>(fixture, 'current-password').value).toBe('');
  });

  it('refuses a short new password before sending', async () => {
    const fixture = await render('admin');
    type(byId<HTMLInputElement>(fixture, 'current-password'), 'correct horse battery');
    type(byId<HTMLInputElement>(fixture, 'new-password'), 'short');
    buttonNamed(fixture, 'Change password').click();
    await fixture.whenStable();
    fixture.detectChanges();
    backend.expectNone('/api/auth/password');
    expect((fixture.nativeElement as HTMLElement).textContent).toContain('Password must be at least 10 characters.');
  });
});
