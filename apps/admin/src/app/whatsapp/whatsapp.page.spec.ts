import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { NumberHealthListView, NumberHealthView, WhatsAppStatusView } from '@waba/contracts';
import { buttonNamed } from '../../testing/dom';
import { createConnection, createOnboardingNumber, createOnboardingSession, createPhoneNumber, createSession, createStatus, createWaba } from '../../testing/factories';
import { provideFakeRealtime } from '../../testing/realtime';
import { CLOCK } from '../core/clock';
import { apiErrorInterceptor } from '../core/http/api-error.interceptor';
import { NotificationService } from '../core/notify/notification.service';
import { RealtimeService } from '../core/realtime/realtime.service';
import { SessionService } from '../core/session/session.service';
import { ConfirmService } from '../shared/ui/confirm-dialog.component';
import { BROWSER_NAVIGATE } from './browser-navigate';
import { EmbeddedSignupService, type SignupOutcome } from './embedded-signup.service';
import { WhatsappPage } from './whatsapp.page';

const STATUS_URL = '/api/integrations/whatsapp/oauth/status';
const NOW = Date.parse('2026-03-01T00:00:00.000Z');

describe('WhatsappPage', () => {
  let backend: HttpTestingController;
  let harness: RouterTestingHarness;
  const signup = { prepare: vi.fn(), start: vi.fn<() => Promise<SignupOutcome>>() };
  const confirm = { ask: vi.fn<() => Promise<boolean>>() };
  const navigate = vi.fn();
  const notifications = { showError: vi.fn(), showSuccess: vi.fn() };

  async function render(status: WhatsAppStatusView, health: NumberHealthListView = { numbers: [] }) {
    signup.prepare.mockReset().mockResolvedValue(undefined);
    signup.start.mockReset();
    confirm.ask.mockReset();
    navigate.mockReset();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: 'whatsapp', component: WhatsappPage }], withComponentInputBinding()),
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
        ...provideFakeRealtime().providers,
        { provide: EmbeddedSignupService, useValue: signup },
        { provide: ConfirmService, useValue: confirm },
        { provide: BROWSER_NAVIGATE, useValue: navigate },
        { provide: NotificationService, useValue: notifications },
        { provide: CLOCK, useValue: () => NOW },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    const login = TestBed.inject(SessionService).login({ email: 'ada@example.com', password: 'correct horse battery' });
    backend.expectOne('/api/auth/login').flush(createSession());
    await login;
    harness = await RouterTestingHarness.create('/whatsapp');
    backend.expectOne(STATUS_URL).flush(status);
    backend.expectOne((request) => request.url === '/api/audit-log').flush([]);
    backend.expectOne('/api/number-health').flush(health);
    // The signup links section on this page (its own spec: signup-links-section.component.spec.ts).
    backend.expectOne('/api/signup-links').flush([]);
    (await vi.waitFor(() => backend.expectOne((request) => request.url === '/api/integrations/whatsapp/onboarding-attempts'))).flush([]);
    await vi.waitFor(async () => {
      await settle();
      expect(text()).toMatch(/Connect your WhatsApp Business numbers|Your WhatsApp Business Accounts/);
    });
  }

  afterEach(() => {
    // The WhatsApp Business app numbers' sync section (coexistence-sync.component.spec.ts) loads its own list.
    for (const request of backend.match('/api/phone-numbers/coexistence')) request.flush([]);
    backend.verify();
  });

  const root = () => harness.routeNativeElement as HTMLElement;
  const text = () => root().textContent?.replace(/\s+/g, ' ') ?? '';
  const settle = () => harness.fixture.whenStable();
  const button = (name: string | RegExp) => buttonNamed(harness.fixture, name);

  it('offers Connect WhatsApp, the full-page login, the manual add and the import when nothing is connected', async () => {
    await render(createStatus([]));

    expect(button('Connect WhatsApp')).toBeTruthy();
    button('Use the full-page Meta login instead').click();
    expect(navigate).toHaveBeenCalledWith('/api/integrations/whatsapp/oauth/start');
    button('Add a number by hand').click();
    await settle();
    expect(root().querySelector('#manual-access-token')?.getAttribute('type')).toBe('password');
  });

  it('says where the person closed Meta’s window, and connects nothing', async () => {
    await render(createStatus([]));
    signup.start.mockResolvedValue({ kind: 'cancelled', step: 'PHONE_NUMBER_SETUP' });

    button('Connect WhatsApp').click();

    await vi.waitFor(async () => {
      await settle();
      expect(text()).toContain('You closed Meta\'s window at step "phone number setup"; nothing was connected.');
    });
    backend.expectNone('/api/integrations/whatsapp/embedded-signup');
  });

  it("explains Meta's refusal with its error code and session id, and offers the manual path", async () => {
    await render(createStatus([]));
    signup.start.mockResolvedValue({ kind: 'error', message: 'Business already linked to Embedded Signup.', errorCode: '524126', sessionId: 's-1' });

    button('Connect WhatsApp').click();

    await vi.waitFor(async () => {
      await settle();
      expect(text()).toContain('Meta stopped the sign-up: Business already linked to Embedded Signup.');
    });
    expect(text()).toContain('Meta error code 524126, session ID s-1');
    const notice = root().querySelector('[data-testid="signup-notice"]') as HTMLElement;
    Array.from(notice.querySelectorAll('button'))
      .find((b) => b.textContent?.includes('Import with an access token'))
      ?.click();
    await settle();
    expect(root().querySelector('#import-access-token')).not.toBeNull();
  });

  it('posts the code with the session info at once and opens the picker', async () => {
    await render(createStatus([]));
    signup.start.mockResolvedValue({
      kind: 'code',
      code: 'the-code',
      finishEvent: 'FINISH',
      sessionInfo: { event: 'FINISH', wabaId: '222', phoneNumberId: '111' },
    });

    button('Connect WhatsApp').click();
    const request = await vi.waitFor(() => backend.expectOne('/api/integrations/whatsapp/embedded-signup'));
    expect(request.request.body).toEqual({ code: 'the-code', sessionInfo: { event: 'FINISH', wabaId: '222', phoneNumberId: '111' } });
    request.flush(createOnboardingSession([{ name: 'Acme Bakery', numbers: [createOnboardingNumber({ displayPhone: '+1 555-010-0199' })] }], { id: 's-7' }), { status: 201, statusText: 'Created' });

    await vi.waitFor(async () => {
      await settle();
      expect(root().querySelector('app-onboarding-picker')?.textContent).toContain('+1 555-010-0199');
    });
    await vi.waitFor(() => expect(TestBed.inject(Router).url).toBe('/whatsapp?onboarding=s-7'));
  });

  it('shows the API message when Meta refuses the code', async () => {
    await render(createStatus([]));
    signup.start.mockResolvedValue({ kind: 'code', code: 'old-code' });

    button('Connect WhatsApp').click();
    (await vi.waitFor(() => backend.expectOne('/api/integrations/whatsapp/embedded-signup'))).flush(
      { statusCode: 400, error: 'Bad Request', message: 'This authorization code was already used; connect again' },
      { status: 400, statusText: 'Bad Request' },
    );

    await vi.waitFor(async () => {
      await settle();
      expect(text()).toContain('This authorization code was already used; connect again');
    });
    expect(root().querySelector('app-onboarding-picker')).toBeNull();
  });

  it('lists numbers with their live facts and token health in words', async () => {
    const expiresAt = new Date(NOW + 12 * 24 * 3600 * 1000 + 60_000).toISOString();
    await render(
      createStatus([
        createWaba({
          name: 'Acme Bakery',
          connection: createConnection({ expiresAt }),
          numbers: [createPhoneNumber({ displayPhone: '+1 555-010-0199', isActive: true, qualityRating: 'YELLOW', messagingLimit: 'TIER_2K' })],
        }),
        createWaba({ name: 'Acme Offers', connection: createConnection({ expiresAt: null }) }),
      ]),
    );

    const cards = Array.from(root().querySelectorAll('mat-card'));
    expect(cards[0].textContent).toContain('expires in 12 days');
    expect(cards[1].textContent).toContain('never expires');
    const row = root().querySelector('li.number')?.textContent?.replace(/\s+/g, ' ');
    expect(row).toContain('+1 555-010-0199');
    expect(row).toContain('Connected');
    expect(row).toContain('Active');
    expect(row).toContain('Quality: medium');
    expect(row).toContain('Limit: 2K conversations / day');
    expect(text()).not.toContain('Reconnect needed');
  });

  it('shows the reconnect banner when a credential needs a new consent, and Reconnect runs the consent again', async () => {
    await render(createStatus([createWaba({ connection: createConnection({ status: 'needs_reauth' }), numbers: [createPhoneNumber()] })]));
    expect(root().querySelector('[role="alert"]')?.textContent).toContain('Reconnect needed.');
    expect(root().querySelector('mat-card')?.textContent).toContain('reconnect needed');
    signup.start.mockResolvedValue({ kind: 'cancelled', step: null });

    (root().querySelector('[role="alert"] button') as HTMLButtonElement).click();

    await vi.waitFor(() => expect(signup.start).toHaveBeenCalledTimes(1));
  });

  it('asks before disconnecting a number, and sends nothing when the answer is no', async () => {
    const number = createPhoneNumber({ phoneNumberId: '111', displayPhone: '+1 555-010-0199' });
    await render(createStatus([createWaba({ numbers: [number] })]));

    confirm.ask.mockResolvedValueOnce(false);
    button('Disconnect').click();
    await vi.waitFor(() => expect(confirm.ask).toHaveBeenCalledTimes(1));
    await settle();
    backend.expectNone('/api/phone-numbers/111/disconnect');

    confirm.ask.mockResolvedValueOnce(true);
    button('Disconnect').click();
    const request = await vi.waitFor(() => backend.expectOne('/api/phone-numbers/111/disconnect'));
    request.flush(createStatus([createWaba({ numbers: [{ ...number, state: 'disconnected' }] })]));
    (await vi.waitFor(() => backend.expectOne((r) => r.url === '/api/audit-log'))).flush([]);

    await vi.waitFor(async () => {
      await settle();
      expect(root().querySelector('li.number')?.textContent).toContain('Disconnected');
    });
    expect(button(/Reconnect/)).toBeTruthy();
  });

  it('retries a failed number, and registers it again only after saying what it costs', async () => {
    const number = createPhoneNumber({ phoneNumberId: '111', displayPhone: '+1 555-010-0199', state: 'failed', registration: 'failed' });
    await render(createStatus([createWaba({ numbers: [number] })]));

    confirm.ask.mockResolvedValueOnce(true);
    button('Retry').click();
    const first = await vi.waitFor(() => backend.expectOne('/api/phone-numbers/111/retry'));
    expect(first.request.body).toEqual({ register: false });
    first.flush({ statusCode: 409, message: 'still has to be registered', code: 'registration_needs_consent' }, { status: 409, statusText: 'Conflict' });
    (await vi.waitFor(() => backend.expectOne('/api/phone-numbers/111/registration-budget'))).flush({
      words: 'WABA Connect made 1 of Meta’s 10 allowed registration attempts in the last 72 hours; 9 left.',
    });
    await vi.waitFor(() => expect(confirm.ask).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringContaining('9 left'), confirmLabel: 'Register again' })));

    const second = await vi.waitFor(() => backend.expectOne('/api/phone-numbers/111/retry'));
    expect(second.request.body).toEqual({ register: true });
    second.flush({ ...number, state: 'connected', registration: 'registered' });
    (await vi.waitFor(() => backend.expectOne((r) => r.url === '/api/audit-log'))).flush([]);
    await vi.waitFor(async () => {
      await settle();
      expect(text()).toContain('+1 555-010-0199 is registered and connected.');
    });
  });

  it('shows a change pushed by another tab without reloading', async () => {
    const number = createPhoneNumber({ phoneNumberId: '111', qualityRating: 'GREEN' });
    await render(createStatus([createWaba({ numbers: [number] })]));

    TestBed.inject(RealtimeService).dispatch({ type: 'phone-number.updated', phoneNumber: { ...number, qualityRating: 'RED' } });
    await settle();

    expect(root().querySelector('li.number')?.textContent).toContain('Quality: low');
  });

  it('reports the result of Test connection beside the number', async () => {
    const number = createPhoneNumber({ phoneNumberId: '111' });
    await render(createStatus([createWaba({ numbers: [number] })]));

    button('Test connection').click();
    backend
      .expectOne('/api/phone-numbers/111/refresh')
      .flush(
        { statusCode: 400, error: 'Bad Request', message: 'Meta could not be reached for this number: Error validating access token (Meta error 190/463)' },
        { status: 400, statusText: 'Bad Request' },
      );

    (await vi.waitFor(() => backend.expectOne((r) => r.url === '/api/audit-log'))).flush([]);

    await vi.waitFor(async () => {
      await settle();
      expect(root().querySelector('li.number [role="status"]')?.textContent).toContain('Error validating access token');
    });
  });

  it('asks before making a flagged number active, and sends acceptWarning only after yes', async () => {
    const active = createPhoneNumber({ phoneNumberId: '111', displayPhone: '+1 555-010-0199', isActive: true });
    const flagged = createPhoneNumber({ phoneNumberId: '222', displayPhone: '+1 555-010-0177', qualityRating: 'RED', metaStatus: 'FLAGGED' });
    await render(createStatus([createWaba({ numbers: [active, flagged] })]));

    confirm.ask.mockResolvedValueOnce(false);
    button('Make active').click();
    await vi.waitFor(() => expect(confirm.ask).toHaveBeenCalledTimes(1));
    expect(confirm.ask).toHaveBeenCalledWith(expect.objectContaining({ title: 'Make +1 555-010-0177 active although it is flagged?', message: expect.stringContaining('may not get through') }));
    await settle();
    backend.expectNone('/api/phone-numbers/222/active');

    confirm.ask.mockResolvedValueOnce(true);
    button('Make active').click();
    const request = await vi.waitFor(() => backend.expectOne('/api/phone-numbers/222/active'));
    expect(request.request.body).toEqual({ acceptWarning: true });
    request.flush({ ...flagged, isActive: true });
    (await vi.waitFor(() => backend.expectOne((r) => r.url === '/api/audit-log'))).flush([]);
  });

  it('explains the PIN we set, reveals it to an owner after the password, and hides it again', async () => {
    const number = createPhoneNumber({ phoneNumberId: '111', displayPhone: '+1 555-010-0142', registration: 'registered', pinSet: true });
    await render(createStatus([createWaba({ numbers: [number] })]));
    expect(text()).toContain('We set a two-step verification PIN when we registered this number.');

    button('Reveal PIN').click();
    await settle();
    const password = root().querySelector<HTMLInputElement>('app-number-pin input[type="password"]');
    expect(password).toBeTruthy();
    if (password) {
      password.value = 'correct horse battery';
      password.dispatchEvent(new Event('input'));
    }
    button('Show PIN').click();
    const request = await vi.waitFor(() => backend.expectOne('/api/phone-numbers/111/pin/reveal'));
    expect(request.request.body).toEqual({ password: 'correct horse battery' });
    request.flush({ phoneNumberId: '111', pin: '482913', revealedAt: '2026-03-01T00:00:00.000Z' });
    await vi.waitFor(async () => {
      await settle();
      expect(root().querySelector('[data-testid="pin-value"]')?.textContent).toBe('482913');
    });
    button('Hide PIN').click();
    await settle();
    expect(root().querySelector('[data-testid="pin-value"]')).toBeNull();
  });
  describe('can this number send?', () => {
    const blocked = (phoneNumberId: string, wabaId: string): NumberHealthView => ({
      phoneNumberId,
      wabaId,
      displayPhone: '+1 555-010-0199',
      verdict: 'cannot_send',
      verdictLabel: 'Cannot send',
      summary: 'The number is not registered on the Cloud API.',
      checkedAt: '2026-03-01T00:00:00.000Z',
      checks: [
        {
          key: 'registration',
          outcome: 'blocks',
          label: 'Cloud API registration',
          summary: 'The number is not registered on the Cloud API.',
          why: 'An unregistered number cannot send or receive through the Cloud API.',
          whatToDo: 'Register it again with the two-step PIN we keep.',
          fix: 're_register',
          details: 'platform_type NOT_APPLICABLE, registration registered',
        },
        { key: 'quality', outcome: 'pass', label: 'Quality rating', summary: 'Quality is high.', why: null, whatToDo: null, fix: null, details: null },
      ],
    });

    it("shows each number's verdict in words with the failing check, why, what to do and the fix, which it applies", async () => {
      const number = createPhoneNumber({ phoneNumberId: '111', displayPhone: '+1 555-010-0199' });
      const waba = createWaba({ numbers: [number] });
      await render(createStatus([waba]), { numbers: [blocked('111', waba.wabaId)] });
      const health = root().querySelector('[data-testid="number-health"]');
      expect(health?.querySelector('[data-testid="number-verdict"]')?.textContent).toContain('Cannot send');
      expect(health?.textContent).toContain('Why it matters: An unregistered number cannot send or receive through the Cloud API.');
      expect(health?.textContent).toContain('What to do: Register it again with the two-step PIN we keep.');
      expect(health?.textContent).toContain('1 of 2 checks pass');

      button('Register again').click();
      const request = await vi.waitFor(() => backend.expectOne('/api/number-health/111/re-register'));
      expect(request.request.method).toBe('POST');
      request.flush([{ ...blocked('111', waba.wabaId), verdict: 'can_send', verdictLabel: 'Can send', summary: 'Nothing stops this number from sending.', checks: [] }]);
      await vi.waitFor(async () => {
        await settle();
        expect(root().querySelector('[data-testid="number-verdict"]')?.textContent).toContain('Can send');
      });
    });

    it('updates a verdict live and checks again on "Check now"', async () => {
      const number = createPhoneNumber({ phoneNumberId: '111', displayPhone: '+1 555-010-0199' });
      const waba = createWaba({ numbers: [number] });
      await render(createStatus([waba]));
      expect(root().querySelector('[data-testid="number-verdict-summary"]')?.textContent).toContain('Not checked yet');

      TestBed.inject(RealtimeService).dispatch({ type: 'number-health.updated', health: blocked('111', waba.wabaId) });
      await vi.waitFor(async () => {
        await settle();
        expect(root().querySelector('[data-testid="number-verdict"]')?.textContent).toContain('Cannot send');
      });

      button('Check now').click();
      const check = await vi.waitFor(() => backend.expectOne('/api/number-health/check'));
      check.flush({ numbers: [{ ...blocked('111', waba.wabaId), verdict: 'limited', verdictLabel: 'Limited' }] });
      await vi.waitFor(async () => {
        await settle();
        expect(root().querySelector('[data-testid="number-verdict"]')?.textContent).toContain('Limited');
      });
    });
  });
});
