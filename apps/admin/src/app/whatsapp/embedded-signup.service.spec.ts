import { TestBed } from '@angular/core/testing';
import type { EmbeddedSignupConfigView } from '@waba/contracts';
import { EmbeddedSignupService, FACEBOOK_SDK_LOADER, type FacebookLoginResponse, type FacebookSdk } from './embedded-signup.service';
import { OnboardingAttemptsService } from './onboarding-attempts.service';
import { WhatsappService } from './whatsapp.service';

const CONFIG: EmbeddedSignupConfigView = {
  appId: '100000000000001',
  configId: 'config-1',
  sdkUrl: 'http://localhost:4100/sdk.js',
  apiVersion: 'v25.0',
  messageOrigin: 'http://localhost:4100',
};

class FakeSdk implements FacebookSdk {
  readonly init = vi.fn();
  callback: ((response: FacebookLoginResponse) => void) | null = null;
  options: Record<string, unknown> | null = null;

  login(callback: (response: FacebookLoginResponse) => void, options: Record<string, unknown>): void {
    this.callback = callback;
    this.options = options;
  }
}

describe('EmbeddedSignupService', () => {
  let sdk: FakeSdk;
  let loader: ReturnType<typeof vi.fn>;
  let service: EmbeddedSignupService;
  let attempts: { start: ReturnType<typeof vi.fn>; ended: ReturnType<typeof vi.fn> };

  beforeEach(() => {
    sdk = new FakeSdk();
    loader = vi.fn(async () => sdk);
    attempts = { start: vi.fn(async () => 'attempt-1'), ended: vi.fn(async () => undefined) };
    TestBed.configureTestingModule({
      providers: [
        { provide: WhatsappService, useValue: { embeddedSignupConfig: vi.fn(async () => CONFIG) } },
        { provide: OnboardingAttemptsService, useValue: attempts },
        { provide: FACEBOOK_SDK_LOADER, useValue: loader },
      ],
    });
    service = TestBed.inject(EmbeddedSignupService);
  });

  function post(data: unknown, origin = CONFIG.messageOrigin): void {
    window.dispatchEvent(new MessageEvent('message', { data, origin }));
  }

  /** Starts the flow and waits for FB.login; the outcome is wrapped so awaiting this does not await it. */
  async function started(): Promise<{ outcome: ReturnType<EmbeddedSignupService['start']> }> {
    const outcome = service.start();
    await vi.waitFor(() => expect(sdk.callback).not.toBeNull());
    return { outcome };
  }

  it('loads the SDK from sdkUrl once and calls FB.init with the app id and version', async () => {
    await service.prepare();
    await service.prepare();

    expect(loader).toHaveBeenCalledTimes(1);
    expect(loader).toHaveBeenCalledWith(CONFIG.sdkUrl);
    expect(sdk.init).toHaveBeenCalledWith({ appId: CONFIG.appId, autoLogAppEvents: true, xfbml: false, version: 'v25.0' });
  });

  it('calls FB.login for a code with the configuration id, as Embedded Signup v4 (no retired version keys)', async () => {
    const { outcome } = await started();
    expect(sdk.options).toEqual({
      config_id: 'config-1',
      response_type: 'code',
      override_default_response_type: true,
      extras: { setup: {} },
    });
    sdk.callback?.({ authResponse: null });
    post({ type: 'WA_EMBEDDED_SIGNUP', event: 'CANCEL', data: { current_step: 'X' } });
    await outcome;
  });

  it('combines the code with the FINISH message that came first', async () => {
    const { outcome } = await started();
    post(JSON.stringify({ type: 'WA_EMBEDDED_SIGNUP', event: 'FINISH', data: { waba_id: '222', phone_number_id: '111', business_id: '333' } }));
    sdk.callback?.({ authResponse: { code: 'the-code' }, status: 'connected' });

    await expect(outcome).resolves.toEqual({
      kind: 'code',
      code: 'the-code',
      finishEvent: 'FINISH',
      sessionInfo: { event: 'FINISH', wabaId: '222', phoneNumberId: '111', businessId: '333' },
      attemptId: 'attempt-1',
    });
    expect(attempts.ended).not.toHaveBeenCalled();
  });

  it('waits briefly for a session-info message that comes after the code', async () => {
    const { outcome } = await started();
    sdk.callback?.({ authResponse: { code: 'the-code' } });
    setTimeout(() => post({ type: 'WA_EMBEDDED_SIGNUP', event: 'FINISH_ONLY_WABA', data: { waba_id: '222' } }), 50);

    await expect(outcome).resolves.toMatchObject({ kind: 'code', finishEvent: 'FINISH_ONLY_WABA', sessionInfo: { wabaId: '222' } });
  });

  it('does not trust a message from another origin: the code goes alone', async () => {
    const { outcome } = await started();
    post({ type: 'WA_EMBEDDED_SIGNUP', event: 'FINISH', data: { waba_id: '666' } }, 'http://evil.example');
    sdk.callback?.({ authResponse: { code: 'the-code' } });

    await expect(outcome).resolves.toEqual({ kind: 'code', code: 'the-code', attemptId: 'attempt-1' });
  });

  it('reports where the person cancelled', async () => {
    const { outcome } = await started();
    post(JSON.stringify({ type: 'WA_EMBEDDED_SIGNUP', event: 'CANCEL', data: { current_step: 'BUSINESS_ACCOUNT_SELECTION' } }));
    sdk.callback?.({ authResponse: null, status: 'unknown' });

    await expect(outcome).resolves.toEqual({ kind: 'cancelled', step: 'BUSINESS_ACCOUNT_SELECTION' });
    expect(attempts.ended).toHaveBeenCalledWith('attempt-1', { outcome: 'cancelled', currentStep: 'BUSINESS_ACCOUNT_SELECTION' });
  });

  it("reports Meta's error with its code and session id", async () => {
    const { outcome } = await started();
    post({ type: 'WA_EMBEDDED_SIGNUP', event: 'CANCEL', data: { error_message: 'Business already linked', error_code: '524126', session_id: 's-1' } });
    sdk.callback?.({ authResponse: null });

    await expect(outcome).resolves.toEqual({ kind: 'error', message: 'Business already linked', errorCode: '524126', sessionId: 's-1' });
    expect(attempts.ended).toHaveBeenCalledWith('attempt-1', { outcome: 'error', errorMessage: 'Business already linked', errorCode: '524126', sessionId: 's-1' });
  });

  it('opens the popup without waiting for the attempt to be recorded', async () => {
    attempts.start.mockReturnValue(new Promise(() => undefined));
    service.start();
    await vi.waitFor(() => expect(sdk.callback).not.toBeNull());
    expect(attempts.start).toHaveBeenCalledTimes(1);
  });

  it('counts a window closed without any message as cancelled at an unknown step', async () => {
    const { outcome } = await started();
    sdk.callback?.({ authResponse: null, status: 'unknown' });

    await expect(outcome).resolves.toEqual({ kind: 'cancelled', step: null });
  });

  it('tries to load the SDK again after a failed load', async () => {
    loader.mockRejectedValueOnce(new Error("Meta's sign-in script could not be loaded."));
    await expect(service.prepare()).rejects.toThrow('could not be loaded');
    await expect(service.prepare()).resolves.toBeDefined();
    expect(loader).toHaveBeenCalledTimes(2);
  });
});
