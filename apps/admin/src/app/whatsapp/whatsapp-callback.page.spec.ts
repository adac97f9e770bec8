import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { apiError, createOnboardingSession } from '../../testing/factories';
import { apiErrorInterceptor } from '../core/http/api-error.interceptor';
import { BROWSER_NAVIGATE } from './browser-navigate';
import { WhatsappCallbackPage } from './whatsapp-callback.page';

@Component({ selector: 'app-whatsapp-stub', template: '<h1>whatsapp</h1>' })
class WhatsappStub {}

describe('WhatsappCallbackPage', () => {
  let backend: HttpTestingController;
  const navigate = vi.fn();

  beforeEach(() => {
    navigate.mockReset();
    TestBed.configureTestingModule({
      providers: [
        provideRouter(
          [
            { path: 'integrations/whatsapp/callback', component: WhatsappCallbackPage },
            { path: 'whatsapp', component: WhatsappStub },
          ],
          withComponentInputBinding(),
        ),
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
        { provide: BROWSER_NAVIGATE, useValue: navigate },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  it('posts code and state once, then opens the picker on the WhatsApp page', async () => {
    const harness = await RouterTestingHarness.create('/integrations/whatsapp/callback?code=abc&state=xyz#_=_');
    expect(harness.routeNativeElement?.textContent).toContain('Connecting…');

    const request = backend.expectOne('/api/integrations/whatsapp/oauth');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ code: 'abc', state: 'xyz' });
    request.flush(createOnboardingSession([], { id: 'session-9' }), { status: 201, statusText: 'Created' });

    const router = TestBed.inject(Router);
    await vi.waitFor(() => expect(router.url).toBe('/whatsapp?onboarding=session-9'));
    backend.expectNone('/api/integrations/whatsapp/oauth');
  });

  it('shows the API message for a forged or reused state, and offers to try again', async () => {
    const harness = await RouterTestingHarness.create('/integrations/whatsapp/callback?code=abc&state=forged');
    backend.expectOne('/api/integrations/whatsapp/oauth').flush(apiError(400, 'The OAuth state is unknown or was already used'), { status: 400, statusText: 'Bad Request' });

    await vi.waitFor(async () => {
      await harness.fixture.whenStable();
      expect(harness.routeNativeElement?.querySelector('[role="alert"]')?.textContent).toContain('The OAuth state is unknown or was already used');
    });
    const button = Array.from(harness.routeNativeElement?.querySelectorAll('button') ?? []).find((b) => b.textContent?.includes('Try again'));
    button?.click();
    expect(navigate).toHaveBeenCalledWith('/api/integrations/whatsapp/oauth/start');
  });

  it('explains a cancelled consent, and tells the API how the attempt ended without exchanging anything', async () => {
    const harness = await RouterTestingHarness.create('/integrations/whatsapp/callback?error=access_denied&error_code=200&error_description=Permissions+error&error_reason=user_denied&state=xyz');
    await harness.fixture.whenStable();

    expect(harness.routeNativeElement?.querySelector('[role="alert"]')?.textContent).toContain('You cancelled on Meta’s page.');
    backend.expectNone('/api/integrations/whatsapp/oauth');
    const ended = backend.expectOne('/api/integrations/whatsapp/oauth/ended');
    expect(ended.request.body).toEqual({ state: 'xyz', error: 'access_denied', errorReason: 'user_denied', errorCode: '200', errorDescription: 'Permissions error' });
    // Refused (an expired state): the page keeps its words.
    ended.flush(apiError(400, 'The OAuth state has expired'), { status: 400, statusText: 'Bad Request' });
    await harness.fixture.whenStable();
    expect(harness.routeNativeElement?.querySelector('[role="alert"]')?.textContent).toContain('You cancelled on Meta’s page.');
    expect(TestBed.inject(Router).url).toBe('/integrations/whatsapp/callback');
  });

  it('says so when Meta came back without its state, and calls nothing', async () => {
    const harness = await RouterTestingHarness.create('/integrations/whatsapp/callback?error=access_denied&error_reason=user_denied');
    await harness.fixture.whenStable();
    expect(harness.routeNativeElement?.querySelector('[role="alert"]')?.textContent).toContain('You cancelled on Meta’s page.');
    backend.expectNone(() => true);
  });
});
