import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { apiError, createSession } from '../../testing/factories';
import { alertText, buttonNamed, byId, descriptionOf, type } from '../../testing/dom';
import { apiErrorInterceptor } from '../core/http/api-error.interceptor';
import { SignupPage } from './signup.page';

@Component({ selector: 'app-blank', template: '' })
class BlankPage {}

describe('SignupPage', () => {
  let fixture: ComponentFixture<SignupPage>;
  let backend: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'overview', component: BlankPage },
          { path: 'login', component: BlankPage },
        ]),
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SignupPage);
    await fixture.whenStable();
  });

  afterEach(() => backend.verify());

  const field = (id: string) => byId<HTMLInputElement>(fixture, id);

  async function fillValid(password = 'long enough pw'): Promise<void> {
    type(field('signup-account-name'), ' Acme Traders ');
    type(field('signup-name'), 'Ada');
    type(field('signup-email'), 'ada@example.com');
    type(field('signup-password'), password);
    await fixture.whenStable();
  }

  async function submit(): Promise<void> {
    buttonNamed(fixture, /Create account|Creating account/).click();
    await fixture.whenStable();
  }

  it('tells the user, next to the field, that the password needs 10 characters', async () => {
    await fillValid('short');
    await submit();

    const password = field('signup-password');
    expect(password.getAttribute('aria-invalid')).toBe('true');
    expect(descriptionOf(fixture, password)).toContain('Password must be at least 10 characters.');
    expect(document.activeElement).toBe(password);
    backend.expectNone('/api/auth/signup');
  });

  it('rejects names made only of spaces', async () => {
    await fillValid();
    type(field('signup-name'), '   ');
    await submit();

    expect(descriptionOf(fixture, field('signup-name'))).toContain('Enter your name.');
    backend.expectNone('/api/auth/signup');
  });

  it('creates the account with trimmed names and lands on the overview', async () => {
    await fillValid();
    await submit();

    const request = backend.expectOne('/api/auth/signup');
    expect(request.request.body).toEqual({
      accountName: 'Acme Traders',
      name: 'Ada',
      email: 'ada@example.com',
      password: 'long enough pw',
    });
    expect(buttonNamed(fixture, 'Creating account…').disabled).toBe(true);
    request.flush(createSession({ name: 'Ada' }, 'Acme Traders'), { status: 201, statusText: 'Created' });

    const router = TestBed.inject(Router);
    await vi.waitFor(() => expect(router.url).toBe('/overview'));
  });

  it('shows the API message when the email is taken, and each invalid field the API names', async () => {
    await fillValid();
    await submit();
    backend.expectOne('/api/auth/signup').flush(apiError(409, 'An account with this email already exists'), { status: 409, statusText: 'Conflict' });
    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(alertText(fixture)).toContain('An account with this email already exists');
    });

    await submit();
    backend.expectOne('/api/auth/signup').flush(apiError(400, 'Invalid request: email must be a valid email address', ['email must be a valid email address']), {
      status: 400,
      statusText: 'Bad Request',
    });
    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(alertText(fixture)).toContain('Please correct the following:');
      expect(alertText(fixture)).toContain('email must be a valid email address');
    });
    expect(buttonNamed(fixture, 'Create account').disabled).toBe(false);
  });
});
