import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ActivatedRoute, provideRouter } from '@angular/router';
import type { SignupLinkPublicView } from '@waba/contracts';
import { alertText, buttonNamed } from '../../testing/dom';
import { apiError, createOnboardingNumber, createOnboardingSession } from '../../testing/factories';
import { apiErrorInterceptor } from '../core/http/api-error.interceptor';
import { FACEBOOK_SDK_LOADER, type FacebookLoginResponse } from '../whatsapp/embedded-signup.service';
import { SignupLinkPage } from './signup-link.page';

const ORIGIN = 'https://www.facebook.com';
const TOKEN = 'a'.repeat(43);

function aView(overrides: Partial<SignupLinkPublicView> = {}): SignupLinkPublicView {
  return {
    accountName: 'Acme Traders',
    invitedByName: 'Ada',
    expiresAt: '2026-03-02T00:00:00.000Z',
    state: 'opened',
    message: 'Acme Traders asks you to connect its WhatsApp Business numbers.',
    shares: ['The WhatsApp Business Accounts you choose in Meta’s window.'],
    holderPicks: false,
    embeddedSignup: { appId: 'app', configId: 'config', sdkUrl: 'https://connect.facebook.net/sdk.js', apiVersion: 'v24.0', messageOrigin: ORIGIN },
    session: null,
    ...overrides,
  };
}

describe('SignupLinkPage', () => {
  let backend: HttpTestingController;
  /** What the fake SDK's login does: the test says how Meta's window ends. */
  let login: (callback: (response: FacebookLoginResponse) => void) => void;

  async function render(fragment: string | null) {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
        { provide: ActivatedRoute, useValue: { snapshot: { fragment } } },
        { provide: FACEBOOK_SDK_LOADER, useValue: async () => ({ init: () => undefined, login: (callback: (response: FacebookLoginResponse) => void) => login(callback) }) },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(SignupLinkPage);
    fixture.detectChanges();
    if (fragment) {
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

  const textOf = (fixture: Awaited<ReturnType<typeof render>>) => ((fixture.nativeElement as HTMLElement).textContent ?? '').replace(/\s+/g, ' ');

  afterEach(() => backend.verify());

  it('shows who invites the holder and what is shared, with the token sent in the body only', async () => {
    const fixture = await render(TOKEN);
    const open = await vi.waitFor(() => backend.expectOne('/api/signup-links/holder/open'));
    expect(open.request.body).toEqual({ token: TOKEN });
    open.flush(aView());
    await settle(fixture, () => textOf(fixture).includes('What Acme Traders will get'));
    expect(textOf(fixture)).toContain('Ada at Acme Traders invites you to connect your WhatsApp Business numbers');
    expect(textOf(fixture)).toContain('The WhatsApp Business Accounts you choose in Meta’s window.');
    expect(textOf(fixture)).toContain('Ada chooses which of the shared numbers to connect.');
  });

  it('explains a link that no longer works in the API’s words', async () => {
    const fixture = await render(TOKEN);
    (await vi.waitFor(() => backend.expectOne('/api/signup-links/holder/open'))).flush(apiError(410, 'This link expired on Mon, 02 Mar 2026 00:00:00 GMT. Ask Ada at Acme Traders for a new one.'), {
      status: 410,
      statusText: 'Gone',
    });
    await settle(fixture, () => alertText(fixture).includes('expired'));
    expect(alertText(fixture)).toContain('This link cannot be used.');
    expect(alertText(fixture)).toContain('Ask Ada at Acme Traders for a new one.');
  });

  it('says a link without its token is incomplete, and asks the API nothing', async () => {
    const fixture = await render(null);
    await settle(fixture, () => alertText(fixture).includes('incomplete'));
  });

  it('reports a cancel with the step Meta named', async () => {
    login = (callback) => {
      window.dispatchEvent(new MessageEvent('message', { origin: ORIGIN, data: JSON.stringify({ type: 'WA_EMBEDDED_SIGNUP', event: 'CANCEL', data: { current_step: 'PHONE_NUMBER_SETUP' } }) }));
      callback({ authResponse: null, status: 'unknown' });
    };
    const fixture = await render(TOKEN);
    (await vi.waitFor(() => backend.expectOne('/api/signup-links/holder/open'))).flush(aView());
    await settle(fixture, () => textOf(fixture).includes('Continue with Meta'));
    buttonNamed(fixture, 'Continue with Meta').click();
    const started = await vi.waitFor(() => backend.expectOne((r) => r.url === '/api/signup-links/holder/progress' && r.body.step === 'consent_started'));
    started.flush(aView({ state: 'consent_started' }));
    const cancelled = await vi.waitFor(() => backend.expectOne((r) => r.url === '/api/signup-links/holder/progress' && r.body.step === 'cancelled'));
    expect(cancelled.request.body).toEqual({ token: TOKEN, step: 'cancelled', currentStep: 'PHONE_NUMBER_SETUP' });
    cancelled.flush(aView({ state: 'cancelled', message: 'You closed Meta’s window at the “phone number setup” step; nothing was shared. You can start again.' }));
    await settle(fixture, () => textOf(fixture).includes('“phone number setup” step'));
  });

  it('sends the code at once, then lets the holder pick when allowed', async () => {
    login = (callback) => {
      window.dispatchEvent(new MessageEvent('message', { origin: ORIGIN, data: { type: 'WA_EMBEDDED_SIGNUP', event: 'FINISH', data: { waba_id: '555', phone_number_id: '666' } } }));
      callback({ authResponse: { code: 'the-code' } });
    };
    const fixture = await render(TOKEN);
    (await vi.waitFor(() => backend.expectOne('/api/signup-links/holder/open'))).flush(aView({ holderPicks: true }));
    await settle(fixture, () => textOf(fixture).includes('Continue with Meta'));
    buttonNamed(fixture, 'Continue with Meta').click();
    (await vi.waitFor(() => backend.expectOne((r) => r.url === '/api/signup-links/holder/progress'))).flush(aView({ state: 'consent_started' }));
    const finish = await vi.waitFor(() => backend.expectOne('/api/signup-links/holder/finish'));
    expect(finish.request.body).toEqual({ token: TOKEN, code: 'the-code', sessionInfo: { event: 'FINISH', wabaId: '555', phoneNumberId: '666' } });
    const number = createOnboardingNumber({ phoneNumberId: '666', displayPhone: '+44 7700 900666' });
    finish.flush(
      aView({ state: 'finished', holderPicks: true, embeddedSignup: null, session: createOnboardingSession([{ wabaId: '555', name: 'Acme WABA', ownerBusinessName: null, numbers: [number] }]) }),
    );
    await settle(fixture, () => textOf(fixture).includes('Choose the numbers Acme Traders may use'));
    (fixture.nativeElement as HTMLElement).querySelector<HTMLInputElement>('input[type="checkbox"]')?.click();
    fixture.detectChanges();
    buttonNamed(fixture, 'Connect selected numbers').click();
    const confirm = await vi.waitFor(() => backend.expectOne('/api/signup-links/holder/confirm'));
    expect(confirm.request.body).toEqual({ token: TOKEN, phoneNumberIds: ['666'] });
    confirm.flush(
      aView({
        state: 'connected',
        holderPicks: true,
        embeddedSignup: null,
        session: createOnboardingSession([{ wabaId: '555', name: 'Acme WABA', ownerBusinessName: null, numbers: [{ ...number, outcome: { state: 'connected' } }] }]),
      }),
    );
    await settle(fixture, () => textOf(fixture).includes('+44 7700 900666 (Acme WABA): Connected'));
  });
});
