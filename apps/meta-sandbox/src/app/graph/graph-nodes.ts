// How the world's records look as Graph nodes (field names and defaults per docs/meta.md §3).
import { WorldStore } from '../world/world.store';
import { AccessTokenRecord, BusinessRecord, PhoneNumberRecord, WabaRecord } from '../world/world.types';
import { GraphNode } from './field-projection';
import { phoneNumberHealth, wabaHealth } from './health-status';

export function phoneNumberNode(phone: PhoneNumberRecord, world: WorldStore): GraphNode {
  const waba = world.wabas.get(phone.wabaId);
  const appSubscription = waba?.subscriptions.find((s) => s.appId === world.app.id);
  return {
    typeName: 'WhatsAppBusinessPhoneNumber',
    defaultFields: ['verified_name', 'code_verification_status', 'display_phone_number', 'quality_rating', 'platform_type', 'throughput', 'id'],
    values: {
      id: phone.id,
      display_phone_number: phone.displayPhoneNumber,
      verified_name: phone.verifiedName,
      quality_rating: phone.qualityRating,
      code_verification_status: phone.codeVerificationStatus,
      name_status: phone.nameStatus,
      new_name_status: phone.nameChange?.status ?? 'NONE',
      ...(phone.nameChange && { new_display_name: phone.nameChange.name }),
      status: phone.status,
      platform_type: phone.platformType,
      throughput: { level: phone.throughputLevel },
      account_mode: phone.accountMode,
      is_official_business_account: false,
      is_on_biz_app: phone.isOnBizApp,
      last_onboarded_time: graphTime(phone.onboardedAtMs ?? waba?.createdAtMs ?? 0),
      whatsapp_business_manager_messaging_limit: phone.messagingLimit,
      get health_status() {
        return phoneNumberHealth(phone, world);
      },
      webhook_configuration: {
        ...(world.settings.webhookUrl && { application: world.settings.webhookUrl }),
        ...(appSubscription?.overrideCallbackUri && { whatsapp_business_account: appSubscription.overrideCallbackUri }),
        ...(phone.webhookOverride && { phone_number: phone.webhookOverride.callbackUri }),
      },
    },
    edges: {},
  };
}

export function wabaNode(waba: WabaRecord, world: WorldStore): GraphNode {
  const owner = world.businesses.get(waba.ownerBusinessId);
  return {
    typeName: 'WhatsAppBusinessAccount',
    defaultFields: ['id', 'name', 'timezone_id', 'message_template_namespace'],
    values: {
      id: waba.id,
      name: waba.name,
      currency: waba.currency,
      timezone_id: waba.timezoneId,
      message_template_namespace: waba.messageTemplateNamespace,
      account_review_status: waba.accountReviewStatus,
      owner_business_info: owner && { id: owner.id, name: owner.name },
      get health_status() {
        return wabaHealth(waba, world);
      },
    },
    edges: {
      phone_numbers: () => world.phoneNumbersOf(waba.id).map((phone) => phoneNumberNode(phone, world)),
      subscribed_apps: () => subscribedAppNodes(waba),
    },
  };
}

/** Items of the business → WABA edges, which answer more fields by default than the node. */
export function wabaListNode(waba: WabaRecord, world: WorldStore): GraphNode {
  return {
    ...wabaNode(waba, world),
    defaultFields: ['id', 'name', 'currency', 'timezone_id', 'message_template_namespace'],
  };
}

export function businessNode(business: BusinessRecord): GraphNode {
  return {
    typeName: 'Business',
    defaultFields: ['id', 'name'],
    values: { id: business.id, name: business.name },
    edges: {},
  };
}

/** `/me`: the token's (system) user; `client_business_id` exists only on business tokens. */
export function userNode(token: AccessTokenRecord): GraphNode {
  return {
    typeName: 'User',
    defaultFields: ['id', 'name'],
    values: { id: token.userId, name: token.userName, client_business_id: token.clientBusinessId },
    edges: {},
  };
}

/** `subscribed_apps` expanded inside a WABA read: the same items as the edge (docs/meta.md §4.1). */
function subscribedAppNodes(waba: WabaRecord): GraphNode[] {
  return waba.subscriptions.map((s) => ({
    typeName: 'Application',
    defaultFields: ['whatsapp_business_api_data', 'override_callback_uri'],
    values: {
      whatsapp_business_api_data: { id: s.appId, link: `https://www.facebook.com/games/?app_id=${s.appId}`, name: s.appName },
      override_callback_uri: s.overrideCallbackUri,
    },
    edges: {},
  }));
}

/** Graph's date-time form: 2026-12-01T10:00:00+0000. */
function graphTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}
