import { Inject, Injectable } from '@nestjs/common';
import { EMBEDDED_SIGNUP_MESSAGE_TYPE, EmbeddedSignupErrorMessage, EmbeddedSignupFinishMessage, EmbeddedSignupAbandonMessage } from '@waba/meta-graph';
import { randomUUID } from 'node:crypto';
import { SandboxClock } from '../common/sandbox-clock';
import { AuthorizationCodesService } from '../oauth/authorization-codes.service';
import { SANDBOX_OPTIONS, SandboxOptions } from '../sandbox-options';
import { CoexistenceService } from '../graph/coexistence.service';
import { WebhookEventsService } from '../webhooks/webhook-events.service';
import { WorldStore } from '../world/world.store';
import { BusinessRecord, Grant } from '../world/world.types';
import { DialogParams, isPopupFlow, sessionInfoVersion, signupExtras } from './dialog-params';

/** Permissions of the sandbox's Login for Business configuration (as in docs/meta.md §9.1). */
export const CONFIGURATION_SCOPES = ['whatsapp_business_management', 'whatsapp_business_messaging', 'public_profile'];

export type DialogProblem = { message: string };

/** What the consent screens decide: validation, the grant, the code and the session-info message. */
@Injectable()
export class SignupService {
  constructor(
    @Inject(SANDBOX_OPTIONS) private readonly options: SandboxOptions,
    private readonly world: WorldStore,
    private readonly clock: SandboxClock,
    private readonly codes: AuthorizationCodesService,
    private readonly webhooks: WebhookEventsService,
    private readonly coexistence: CoexistenceService,
  ) {}

  /** Meta shows an error page instead of the dialog for these. */
  problemWith(params: DialogParams): DialogProblem | undefined {
    if (params.client_id !== this.options.appId) {
      return { message: 'Invalid App ID: The provided app ID does not look like a valid app ID.' };
    }
    if (params.config_id && params.config_id !== this.options.configId) {
      return { message: 'Invalid configuration: the config_id does not belong to this app.' };
    }
    if (isPopupFlow(params)) {
      return validOrigin(params.origin) ? undefined : { message: 'The SDK did not say which page opened the dialog.' };
    }
    if (!params.redirect_uri || !/^https?:\/\//.test(params.redirect_uri)) {
      return {
        message: "URL Blocked: This redirect failed because the redirect URI is not whitelisted in the app's Client OAuth Settings.",
      };
    }
    return undefined;
  }

  /** Businesses a person can pick; the partner's own business is not a customer. */
  selectableBusinesses(): BusinessRecord[] {
    return [...this.world.businesses.values()].filter((b) => b.id !== this.world.app.partnerBusinessId);
  }

  onlyWabaSharing(params: DialogParams): boolean {
    return signupExtras(params).featureType === 'only_waba_sharing';
  }

  /** Shares the chosen WABAs with our partner business, tells our webhook, and issues the code. */
  complete(
    params: DialogParams,
    business: BusinessRecord,
    wabaIds: string[],
    phoneNumberIds: string[],
  ): {
    code: string;
    message: EmbeddedSignupFinishMessage;
  } {
    const wabas = wabaIds
      .flatMap((id) => this.world.wabas.get(id) ?? [])
      .filter((waba) => waba.ownerBusinessId === business.id)
      .sort((a, b) => b.createdAtMs - a.createdAtMs); // newest first, as granular_scopes lists them
    // Numbers in WABA order, so the first number belongs to the WABA the session info names.
    const phones = this.onlyWabaSharing(params) ? [] : wabas.flatMap((waba) => this.world.phoneNumbersOf(waba.id).filter((phone) => phoneNumberIds.includes(phone.id)));
    const grant: Grant = {
      businessId: business.id,
      wabaIds: wabas.map((waba) => waba.id),
      phoneNumberIds: phones.map((phone) => phone.id),
      scopes: params.config_id || !params.scope ? CONFIGURATION_SCOPES : params.scope.split(',').map((s) => s.trim()),
    };
    for (const waba of wabas) {
      if (!waba.sharedWithBusinessIds.includes(this.world.app.partnerBusinessId)) {
        waba.sharedWithBusinessIds.push(this.world.app.partnerBusinessId);
      }
      this.webhooks.partnerAdded(waba);
    }
    if (signupExtras(params).featureType === 'whatsapp_business_app_onboarding') this.coexistence.onboarded(phones);
    const popup = isPopupFlow(params);
    const code = this.codes.issue(grant, popup ? 'sdk' : 'redirect', popup ? undefined : params.redirect_uri);
    return { code, message: this.finishMessage(params, grant) };
  }

  abandonMessage(params: DialogParams, currentStep: string): EmbeddedSignupAbandonMessage {
    return { type: EMBEDDED_SIGNUP_MESSAGE_TYPE, event: 'CANCEL', data: { current_step: currentStep }, ...sessionInfoVersion(params) };
  }

  errorMessage(params: DialogParams, reason: string): EmbeddedSignupErrorMessage {
    return {
      type: EMBEDDED_SIGNUP_MESSAGE_TYPE,
      event: 'CANCEL',
      data: { error_message: reason, error_code: '524126', session_id: randomUUID(), timestamp: this.clock.nowSeconds() },
      ...sessionInfoVersion(params),
    };
  }

  private finishMessage(params: DialogParams, grant: Grant): EmbeddedSignupFinishMessage {
    const [phoneNumberId] = grant.phoneNumberIds;
    const phoneWabaId = phoneNumberId ? this.world.phoneNumbers.get(phoneNumberId)?.wabaId : undefined;
    const wabaId = phoneWabaId ?? grant.wabaIds[0];
    const base = { type: EMBEDDED_SIGNUP_MESSAGE_TYPE, ...sessionInfoVersion(params) } as const;
    const featureType = signupExtras(params).featureType;
    const waba_ids = grant.wabaIds.length > 1 ? { waba_ids: grant.wabaIds } : {};
    // Coexistence finishes may carry only the WABA (docs/meta.md §1.3).
    if (featureType === 'whatsapp_business_app_onboarding') {
      return { ...base, event: 'FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING', data: { waba_id: wabaId } };
    }
    if (!phoneNumberId) {
      return { ...base, event: 'FINISH_ONLY_WABA', data: { waba_id: wabaId, business_id: grant.businessId, ...waba_ids } };
    }
    return {
      ...base,
      event: 'FINISH',
      data: { phone_number_id: phoneNumberId, waba_id: wabaId, business_id: grant.businessId, ...waba_ids },
    };
  }
}

function validOrigin(origin: string | undefined): boolean {
  if (!origin) return false;
  try {
    return new URL(origin).origin === origin;
  } catch {
    return false;
  }
}
