import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { apiError, createSession } from '../../testing/factories';
import { alertText, buttonNamed, byId, descriptionOf, type } from '../../testing/dom';
import { apiErrorInterceptor } from '../core/http/api-error.interceptor';
import { SessionService } from '../core/session/session.service';
import { LoginPage } from './login.page';

@Component({ selector: 'app-blank', template: '' })
class BlankPage {}

describe('LoginPage', () => {
  let fixture: ComponentFixture<LoginPage>;
  let backend: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'overview', component: BlankPage },
          { path: 'settings', component: BlankPage },
          { path: 'signup', component: BlankPage },
        ]),
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(LoginPage);
    await fixture.whenStable();
  });

  afterEach(() => backend.verify());

  const email = () => byId<HTMLInputElement>(fixture, 'login-email');
  const password = () => byId<HTMLInputElement>(fixture, 'login-password');

  async function submit(): Promise<void> {
    buttonNamed(fixture, /Log in|Logging in/).click();
    await fixture.whenStable();
  }

  it('labels every field', () => {
    const labels = Array.from((fixture.nativeElement as HTMLElement).querySelectorAll('label')).map((label) => ({
      for: label.htmlFor,
      text: label.textContent?.replace('*', '').trim(),
    }));
    expect(labels).toEqual([
      { for: 'login-email', text: 'Email' },
      { for: 'login-password', text: 'Password' },
    ]);
  });

  it('explains invalid fields next to them, linked with aria-describedby, and sends nothing', async () => {
    type(email(), 'not-an-email');
    await submit();

    expect(email().getAttribute('aria-invalid')).toBe('true');
    expect(descriptionOf(fixture, email())).toContain('Enter a valid email address');
    // Empty required fields say so too (Material marks them aria-required rather than aria-invalid).
    expect(password().getAttribute('aria-required')).toBe('true');
    expect(descriptionOf(fixture, password())).toContain('Enter your password.');
    expect(document.activeElement).toBe(email());
    backend.expectNone('/api/auth/login');
  });

  it('disables the button while logging in and shows the API message for a wrong password', async () => {
    type(email(), ' ada@example.com ');
    type(password(), 'not my password');
    await submit();

    const request = backend.expectOne('/api/auth/login');
    expect(request.request.body).toEqual({ email: 'ada@example.com', password: 'not my password' });
    expect(buttonNamed(fixture, 'Logging in…').disabled).toBe(true);

    request.flush(apiError(401, 'Email or password is incorrect'), { status: 401, statusText: 'Unauthorized' });
    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(alertText(fixture)).toContain('Email or password is incorrect');
    });
    expect(buttonNamed(fixture, 'Log in').disabled).toBe(false);
    expect(TestBed.inject(SessionService).isSignedIn()).toBe(false);
  });

  it('goes back to the page the user asked for after logging in', async () => {
    fixture.componentRef.setInput('returnUrl', '/settings');
    type(email(), 'ada@example.com');
    type(password(), 'correct horse battery');
    await submit();

    backend.expectOne('/api/auth/login').flush(createSession());

    const router = TestBed.inject(Router);
    await vi.waitFor(() => expect(router.url).toBe('/settings'));
  });

  it('ignores a return URL that leaves the app', async () => {
    fixture.componentRef.setInput('returnUrl', '//evil.example/phish');
    type(email(), 'ada@example.com');
    type(password(), 'correct horse battery');
    await submit();

    backend.expectOne('/api/auth/login').flush(createSession());

    const router = TestBed.inject(Router);
    await vi.waitFor(() => expect(router.url).toBe('/overview'));
  });
});
