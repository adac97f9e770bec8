import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ActivatedRoute, provideRouter, Router } from '@angular/router';
import type { InvitationPreview } from '@waba/contracts';
import { apiError, createSession } from '../../testing/factories';
import { alertText, buttonNamed, byId, type } from '../../testing/dom';
import { apiErrorInterceptor } from '../core/http/api-error.interceptor';
import { SessionService } from '../core/session/session.service';
import { AcceptInvitationPage } from './accept-invitation.page';

@Component({ selector: 'app-blank', template: '' })
class BlankPage {}

const preview: InvitationPreview = {
  accountName: 'Acme Traders',
  email: 'carol@example.com',
  role: 'admin' as InvitationPreview['role'],
  invitedByName: 'Ada',
  expiresAt: '2026-01-08T00:00:00.000Z',
};

describe('AcceptInvitationPage', () => {
  let backend: HttpTestingController;

  async function render(fragment: string | null) {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: 'overview', component: BlankPage }]),
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
        { provide: ActivatedRoute, useValue: { snapshot: { fragment } } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(AcceptInvitationPage);
    fixture.detectChanges();
    if (fragment) {
      // First the page asks who is signed in (which also gives a fresh browser its CSRF cookie).
      await vi.waitFor(() => backend.expectOne('/api/auth/me').flush(apiError(401, 'You are not signed in'), { status: 401, statusText: 'Unauthorized' }));
    }
    return fixture;
  }

  async function settle(fixture: Awaited<ReturnType<typeof render>>, condition: () => boolean) {
    await vi.waitFor(async () => {
      await fixture.whenStable();
      fixture.detectChanges();
      expect(condition()).toBe(true);
    });
  }

  afterEach(() => backend.verify());

  it('shows who invited whom to which account, with labelled fields', async () => {
    const fixture = await render('the-token');
    const request = await vi.waitFor(() => backend.expectOne('/api/invitations/preview'));
    expect(request.request.body).toEqual({ token: 'the-token' });
    request.flush(preview);
    const root = fixture.nativeElement as HTMLElement;
    await settle(fixture, () => root.querySelector('form') !== null);

    expect(root.textContent?.replace(/\s+/g, ' ')).toContain('Ada invited you to Acme Traders as an admin. You will sign in as carol@example.com.');
    expect(root.querySelector('label[for="invitation-name"]')?.textContent).toContain('Your name');
    expect(root.querySelector('label[for="invitation-password"]')?.textContent).toContain('Choose a password');
  });

  it('sets name and password, is signed in and lands on the overview', async () => {
    const fixture = await render('the-token');
    (await vi.waitFor(() => backend.expectOne('/api/invitations/preview'))).flush(preview);
    await settle(fixture, () => (fixture.nativeElement as HTMLElement).querySelector('form') !== null);

    type(byId<HTMLInputElement>(fixture, 'invitation-name'), '  Carol  ');
    type(byId<HTMLInputElement>(fixture, 'invitation-password'), 'my own password 1');
    buttonNamed(fixture, 'Join Acme Traders').click();

    const accept = backend.expectOne('/api/invitations/accept');
    expect(accept.request.body).toEqual({ token: 'the-token', name: 'Carol', password: 'my own password 1' });
    const session = createSession({ name: 'Carol', email: 'carol@example.com', role: 'admin' });
    accept.flush(session, { status: 201, statusText: 'Created' });
    await vi.waitFor(() => backend.expectOne('/api/auth/me').flush(session));

    await vi.waitFor(() => expect(TestBed.inject(Router).url).toBe('/overview'));
    expect(TestBed.inject(SessionService).user()?.name).toBe('Carol');
  });

  it('explains a used, withdrawn or expired link in words and offers to log in', async () => {
    const fixture = await render('used-token');
    (await vi.waitFor(() => backend.expectOne('/api/invitations/preview'))).flush(apiError(410, 'This invitation has already been used. If it was you, log in with your email and password'), {
      status: 410,
      statusText: 'Gone',
    });
    const root = fixture.nativeElement as HTMLElement;
    await settle(fixture, () => alertText(fixture).includes('already been used'));
    expect(alertText(fixture)).toContain('This invitation cannot be used.');
    expect(root.querySelector('form')).toBeNull();
    expect(root.querySelector('a[href="/login"]')).not.toBeNull();
  });

  it('says so when the link lost its token, without asking the API', async () => {
    const fixture = await render(null);
    await settle(fixture, () => alertText(fixture).includes('This invitation link is incomplete'));
    backend.expectNone('/api/invitations/preview');
  });

  it('shows why accepting failed and keeps the form', async () => {
    const fixture = await render('the-token');
    (await vi.waitFor(() => backend.expectOne('/api/invitations/preview'))).flush(preview);
    await settle(fixture, () => (fixture.nativeElement as HTMLElement).querySelector('form') !== null);
    type(byId<HTMLInputElement>(fixture, 'invitation-name'), 'Carol');
    type(byId<HTMLInputElement>(fixture, 'invitation-password'), 'my own password 1');
    buttonNamed(fixture, 'Join Acme Traders').click();
    backend.expectOne('/api/invitations/accept').flush(apiError(409, 'An account with this email already exists'), { status: 409, statusText: 'Conflict' });
    await settle(fixture, () => alertText(fixture).includes('An account with this email already exists'));
    expect((fixture.nativeElement as HTMLElement).querySelector('form')).not.toBeNull();
  });
});
