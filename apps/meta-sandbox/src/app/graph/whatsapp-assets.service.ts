import { Injectable } from '@nestjs/common';
import { GraphSuccess, SubscribedApp } from '@waba/meta-graph';
import { GraphException } from '../common/graph-exception';
import { SandboxClock } from '../common/sandbox-clock';
import { CallbackVerifierService } from '../webhooks/callback-verifier.service';
import { DisplayNameService } from '../profile/display-name.service';
import { WorldStore } from '../world/world.store';
import { PhoneNumberRecord, WabaRecord } from '../world/world.types';

const REGISTRATION_WINDOW_MS = 72 * 3600 * 1000;
const REGISTRATION_LIMIT = 10;
const SUCCESS: GraphSuccess = { success: true };

/** Writes on WABAs and numbers: webhook subscriptions, registration, two-step PIN (docs/meta.md §4). */
@Injectable()
export class WhatsAppAssetsService {
  constructor(
    private readonly world: WorldStore,
    private readonly clock: SandboxClock,
    private readonly callbacks: CallbackVerifierService,
    private readonly names: DisplayNameService,
  ) {}

  subscribedApps(waba: WabaRecord): SubscribedApp[] {
    return waba.subscriptions.map((s) => ({
      whatsapp_business_api_data: { id: s.appId, link: `https://www.facebook.com/games/?app_id=${s.appId}`, name: s.appName },
      ...(s.overrideCallbackUri && { override_callback_uri: s.overrideCallbackUri }),
    }));
  }

  /** Plain subscribe (also removes an override), or set an override on an existing subscription. */
  async subscribe(waba: WabaRecord, override?: { uri: string; verifyToken: string }): Promise<GraphSuccess> {
    const existing = waba.subscriptions.find((s) => s.appId === this.world.app.id);
    if (!override) {
      const plain = { appId: this.world.app.id, appName: this.world.app.name };
      waba.subscriptions = [...waba.subscriptions.filter((s) => s !== existing), plain];
      return SUCCESS;
    }
    if (!existing) {
      throw GraphException.invalidParameter('(#100) Before override the current callback uri, your app must be subscribed to receive messages for ' + 'WhatsApp Business Account');
    }
    if (override.uri.length > 200) {
      throw GraphException.invalidParameter('(#100) Param override_callback_uri must be at most 200 chars long');
    }
    await this.callbacks.verify(override.uri, override.verifyToken);
    existing.overrideCallbackUri = override.uri;
    existing.overrideVerifyToken = override.verifyToken;
    return SUCCESS;
  }

  unsubscribe(waba: WabaRecord): GraphSuccess {
    waba.subscriptions = waba.subscriptions.filter((s) => s.appId !== this.world.app.id);
    return SUCCESS;
  }

  register(phone: PhoneNumberRecord, pin: string | undefined, messagingProduct: string | undefined): GraphSuccess {
    this.countRegistrationRequest(phone);
    if (messagingProduct !== 'whatsapp') {
      throw GraphException.invalidParameter('(#100) The parameter messaging_product is required.');
    }
    const validPin = requirePin(pin);
    if (phone.isOnBizApp) {
      // Registering would move the number off the WhatsApp Business app; the sandbox refuses (docs/meta.md).
      throw GraphException.invalidParameter('(#100) This phone number is in use with the WhatsApp Business app and already connected to Cloud API; it must not be registered.');
    }
    if (phone.twoStepPin !== undefined && phone.twoStepPin !== validPin) {
      throw new GraphException({
        code: 133005,
        message: '(#133005) Two step verification PIN Mismatch',
        errorData: { messaging_product: 'whatsapp', details: 'Two step verification PIN incorrect.' },
      });
    }
    phone.twoStepPin = validPin; // on a number without two-step verification, the PIN sent becomes it
    phone.platformType = 'CLOUD_API';
    phone.throughputLevel = 'STANDARD';
    if (phone.status === 'PENDING' || phone.status === 'DISCONNECTED') phone.status = 'CONNECTED';
    this.names.applyOnRegister(phone);
    return SUCCESS;
  }

  deregister(phone: PhoneNumberRecord): GraphSuccess {
    this.countRegistrationRequest(phone);
    if (phone.isOnBizApp) {
      throw GraphException.invalidParameter('(#100) Deregistration is not supported for numbers on both the WhatsApp Business app and Cloud API');
    }
    phone.platformType = 'NOT_APPLICABLE';
    phone.throughputLevel = 'NOT_APPLICABLE';
    phone.status = 'DISCONNECTED';
    return SUCCESS;
  }

  /** `POST /{phone}`: set the two-step PIN, or the number-level webhook override. */
  async updatePhoneNumber(phone: PhoneNumberRecord, body: { pin?: unknown; webhook_configuration?: unknown; new_display_name?: unknown }): Promise<GraphSuccess> {
    if (body.new_display_name !== undefined) return this.names.request(phone, body.new_display_name);
    if (body.pin !== undefined) {
      phone.twoStepPin = requirePin(typeof body.pin === 'string' ? body.pin : undefined);
      return SUCCESS;
    }
    const config = body.webhook_configuration as { override_callback_uri?: unknown; verify_token?: unknown } | undefined;
    if (typeof config?.override_callback_uri !== 'string') {
      throw GraphException.invalidParameter('(#100) The parameter pin or webhook_configuration is required.');
    }
    if (config.override_callback_uri === '') {
      phone.webhookOverride = undefined;
      return SUCCESS;
    }
    const verifyToken = typeof config.verify_token === 'string' ? config.verify_token : '';
    await this.callbacks.verify(config.override_callback_uri, verifyToken);
    phone.webhookOverride = { callbackUri: config.override_callback_uri, verifyToken };
    return SUCCESS;
  }

  /** Every register/deregister request counts, failed ones too; the 11th in 72 hours blocks for 72 hours. */
  private countRegistrationRequest(phone: PhoneNumberRecord): void {
    const now = this.clock.nowMs();
    if (phone.registrationBlockedUntilMs !== undefined && phone.registrationBlockedUntilMs > now) {
      throw registrationLimitError();
    }
    phone.registrationRequestsMs = phone.registrationRequestsMs.filter((t) => t > now - REGISTRATION_WINDOW_MS);
    if (phone.registrationRequestsMs.length >= REGISTRATION_LIMIT) {
      phone.registrationBlockedUntilMs = now + REGISTRATION_WINDOW_MS;
      throw registrationLimitError();
    }
    phone.registrationRequestsMs.push(now);
  }
}

function requirePin(pin: string | undefined): string {
  if (!pin || !/^\d{6}$/.test(pin)) {
    throw GraphException.invalidParameter('(#100) Param pin must be a 6-digit number string');
  }
  return pin;
}

function registrationLimitError(): GraphException {
  return new GraphException({
    code: 133016,
    message: '(#133016) Account register deregister rate limit exceeded',
    errorData: {
      messaging_product: 'whatsapp',
      details: 'Rate limited due to too many registration or deregistration attempts. Try again in 72 hours.',
    },
  });
}
