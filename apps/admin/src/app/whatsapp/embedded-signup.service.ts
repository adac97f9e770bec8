import { DOCUMENT } from '@angular/common';
import { inject, Injectable, InjectionToken } from '@angular/core';
import type { EmbeddedSignupConfigView, EmbeddedSignupEvent, EmbeddedSignupSessionInfo } from '@waba/contracts';
import { SIGNUP_SCREEN_NAME } from '@waba/contracts/onboarding-words';
import { embeddedSignupExtras, type EmbeddedSignupFeatureType } from '@waba/meta-graph/embedded-signup';
import { readSignupMessage, type SignupMessage } from './embedded-signup-message';
import { OnboardingAttemptsService } from './onboarding-attempts.service';
import { WhatsappService } from './whatsapp.service';

/** The part of Meta's JS SDK (`window.FB`) that Embedded Signup uses. */
export interface FacebookSdk {
  init(options: { appId: string; autoLogAppEvents: boolean; xfbml: boolean; version: string }): void;
  login(callback: (response: FacebookLoginResponse) => void, options: Record<string, unknown>): void;
}

export interface FacebookLoginResponse {
  authResponse?: { code?: string | null } | null;
  status?: string;
}

/** Loads the SDK from `sdkUrl` with a `<script>` tag (never bundled); tests pass a fake. */
export const FACEBOOK_SDK_LOADER = new InjectionToken<(sdkUrl: string) => Promise<FacebookSdk>>('FACEBOOK_SDK_LOADER', {
  providedIn: 'root',
  factory: () => {
    const document = inject(DOCUMENT);
    return (sdkUrl: string) => loadSdkScript(document, sdkUrl);
  },
});

/** How long to wait for the session-info message once the login callback has come (it usually came first). */
export const SESSION_INFO_WAIT_MS = 1000;

export type SignupOutcome =
  /** Meta returned a code: post it at once. `finishEvent` says how the flow ended. */
  | { kind: 'code'; code: string; sessionInfo?: EmbeddedSignupSessionInfo; finishEvent?: EmbeddedSignupEvent; attemptId?: string | null }
  /** The person closed Meta's window; `step` is where, when Meta said. */
  | { kind: 'cancelled'; step: string | null }
  /** Meta ended the flow with an error (e.g. the business may not onboard). */
  | { kind: 'error'; message: string; errorCode: string | null; sessionId: string | null };

/**
 * Embedded Signup in the browser: load Meta's SDK once, `FB.init`, then `FB.login` with the
 * configuration id, and combine the login callback (the code) with the `WA_EMBEDDED_SIGNUP`
 * message (the session info, or why the flow ended).
 */
@Injectable({ providedIn: 'root' })
export class EmbeddedSignupService {
  private readonly api = inject(WhatsappService);
  private readonly attempts = inject(OnboardingAttemptsService);
  private readonly loadSdk = inject(FACEBOOK_SDK_LOADER);
  private readonly window = inject(DOCUMENT).defaultView as Window;
  private ready: Promise<{ config: EmbeddedSignupConfigView; sdk: FacebookSdk }> | null = null;

  /** Loads the configuration and the SDK ahead of the click, so the popup opens straight away. */
  prepare(): Promise<{ config: EmbeddedSignupConfigView; sdk: FacebookSdk }> {
    this.ready ??= this.load().catch((error: unknown) => {
      this.ready = null;
      throw error;
    });
    return this.ready;
  }

  /**
   * Runs the popup flow once; resolves when Meta's window is done with us. `featureType`
   * `whatsapp_business_app_onboarding` runs the flow for a number on the WhatsApp Business app.
   * The onboarding attempt (the funnel's record) is started beside the popup, never before it:
   * FB.login must run while the click still counts, or the browser blocks the window.
   */
  async start(featureType: EmbeddedSignupFeatureType = ''): Promise<SignupOutcome> {
    const ready = await this.prepare();
    const attempt = this.attempts.start();
    const outcome = await this.runPopup(ready, featureType);
    const attemptId = await attempt;
    if (outcome.kind === 'code') return { ...outcome, attemptId };
    await this.attempts.ended(
      attemptId,
      outcome.kind === 'cancelled'
        ? { outcome: 'cancelled', ...(outcome.step && SIGNUP_SCREEN_NAME.test(outcome.step) ? { currentStep: outcome.step } : {}) }
        : {
            outcome: 'error',
            errorMessage: outcome.message.slice(0, 500),
            ...(outcome.errorCode ? { errorCode: outcome.errorCode.slice(0, 32) } : {}),
            ...(outcome.sessionId ? { sessionId: outcome.sessionId.slice(0, 128) } : {}),
          },
    );
    return outcome;
  }

  private runPopup({ config, sdk }: { config: EmbeddedSignupConfigView; sdk: FacebookSdk }, featureType: EmbeddedSignupFeatureType): Promise<SignupOutcome> {
    return new Promise<SignupOutcome>((resolve) => {
      let message: SignupMessage | null = null;
      let messageArrived: (() => void) | null = null;
      const onMessage = (event: MessageEvent) => {
        const read = readSignupMessage(event, config.messageOrigin);
        if (read) {
          message = read;
          messageArrived?.();
        }
      };
      this.window.addEventListener('message', onMessage);

      const finish = async (code: string | null) => {
        if (!message) {
          await new Promise<void>((arrived) => {
            messageArrived = arrived;
            setTimeout(arrived, SESSION_INFO_WAIT_MS);
          });
        }
        this.window.removeEventListener('message', onMessage);
        resolve(outcomeOf(code, message));
      };

      try {
        sdk.login(
          (response) => {
            const code = response?.authResponse?.code;
            void finish(typeof code === 'string' && code !== '' ? code : null);
          },
          {
            config_id: config.configId,
            response_type: 'code',
            override_default_response_type: true,
            extras: embeddedSignupExtras(featureType),
          },
        );
      } catch (error) {
        this.window.removeEventListener('message', onMessage);
        resolve({
          kind: 'error',
          message: `Meta's sign-in could not start: ${error instanceof Error ? error.message : String(error)}`,
          errorCode: null,
          sessionId: null,
        });
      }
    });
  }

  private async load(): Promise<{ config: EmbeddedSignupConfigView; sdk: FacebookSdk }> {
    const config = await this.api.embeddedSignupConfig();
    const sdk = await this.loadSdk(config.sdkUrl);
    sdk.init({ appId: config.appId, autoLogAppEvents: true, xfbml: false, version: config.apiVersion });
    return { config, sdk };
  }
}

function outcomeOf(code: string | null, message: SignupMessage | null): SignupOutcome {
  if (code) {
    return message?.kind === 'finish' ? { kind: 'code', code, sessionInfo: message.sessionInfo, finishEvent: message.event } : { kind: 'code', code };
  }
  if (message?.kind === 'error') {
    return message;
  }
  if (message?.kind === 'cancel') {
    return { kind: 'cancelled', step: message.step };
  }
  if (message?.kind === 'finish') {
    return {
      kind: 'error',
      message: 'Meta finished the sign-up but did not hand back an authorization code. Try again.',
      errorCode: null,
      sessionId: null,
    };
  }
  return { kind: 'cancelled', step: null };
}

function loadSdkScript(document: Document, sdkUrl: string): Promise<FacebookSdk> {
  const window = document.defaultView as (Window & { FB?: FacebookSdk }) | null;
  if (window?.FB) {
    return Promise.resolve(window.FB);
  }
  return new Promise<FacebookSdk>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = sdkUrl;
    script.async = true;
    script.id = 'facebook-jssdk';
    script.onload = () => {
      if (window?.FB) {
        resolve(window.FB);
      } else {
        reject(new Error("Meta's sign-in script loaded but did not start."));
      }
    };
    script.onerror = () => {
      script.remove();
      reject(new Error("Meta's sign-in script could not be loaded. Check your connection, or use the full-page Meta login instead."));
    };
    document.head.appendChild(script);
  });
}
