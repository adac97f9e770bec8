import { Inject, Injectable } from '@nestjs/common';
import { SANDBOX_OPTIONS, SandboxOptions } from '../sandbox-options';
import { SandboxClock } from '../common/sandbox-clock';
import { SandboxSettings } from './sandbox-settings';
import { AccessTokenRecord, AuthorizationCodeRecord, BusinessRecord, PhoneNumberRecord, WabaRecord } from './world.types';
import { seedDemoWorld } from './demo-world';
import { newAccessToken } from '../common/secure-random';
import { WORLD_STATE_VERSION, WorldState } from './world-state';

export const SANDBOX_APP_NAME = 'WABA Connect (sandbox)';
export const PARTNER_BUSINESS_ID = '700000000000001';

/** In-memory state of the sandbox's Meta; the only place that holds it. */
@Injectable()
export class WorldStore {
  readonly businesses = new Map<string, BusinessRecord>();
  readonly wabas = new Map<string, WabaRecord>();
  readonly phoneNumbers = new Map<string, PhoneNumberRecord>();
  readonly tokens = new Map<string, AccessTokenRecord>();
  readonly codes = new Map<string, AuthorizationCodeRecord>();
  /** `debug_token` calls per input token, so tests can prove each credential was checked once. */
  readonly debugTokenCalls = new Map<string, number>();
  settings!: SandboxSettings;
  /** The partner's own system-user token, for `client_whatsapp_business_accounts`. */
  partnerToken!: AccessTokenRecord;
  private lastId = 0;

  constructor(
    @Inject(SANDBOX_OPTIONS) private readonly options: SandboxOptions,
    private readonly clock: SandboxClock,
  ) {
    this.reset();
  }

  get app(): { id: string; name: string; partnerBusinessId: string } {
    return { id: this.options.appId, name: SANDBOX_APP_NAME, partnerBusinessId: PARTNER_BUSINESS_ID };
  }

  reset(): void {
    this.clear();
    this.settings = this.defaultSettings();
    this.businesses.set(PARTNER_BUSINESS_ID, { id: PARTNER_BUSINESS_ID, name: 'WABA Connect (Tech Provider)' });
    this.partnerToken = {
      value: newAccessToken(),
      type: 'SYSTEM_USER',
      userId: this.nextId('5'),
      userName: 'WABA Connect system user',
      businessIds: [PARTNER_BUSINESS_ID],
      assetScope: 'business',
      wabaIds: [],
      scopes: ['business_management', 'whatsapp_business_management', 'whatsapp_business_messaging'],
      issuedAtMs: this.clock.nowMs(),
      expiresAtMs: null,
      dataAccessExpiresAtMs: this.clock.nowMs() + 90 * 24 * 3600 * 1000,
    };
    this.tokens.set(this.partnerToken.value, this.partnerToken);
    if (this.options.seedDemoWorld) seedDemoWorld(this, this.clock.nowMs());
  }

  /** Everything this store holds, as plain JSON-safe data (see WorldPersistence). */
  exportState(): WorldState {
    return {
      version: WORLD_STATE_VERSION,
      lastId: this.lastId,
      clockOffsetMs: this.clock.offset,
      settings: this.settings,
      defaultSettings: this.defaultSettings(),
      partnerTokenValue: this.partnerToken.value,
      businesses: [...this.businesses.values()],
      wabas: [...this.wabas.values()],
      phoneNumbers: [...this.phoneNumbers.values()],
      tokens: [...this.tokens.values()],
      codes: [...this.codes.values()],
      debugTokenCalls: [...this.debugTokenCalls.entries()],
    };
  }

  /** Replaces everything with a state `exportState` produced, possibly in an earlier run. */
  importState(state: WorldState): void {
    const partnerToken = state.tokens.find((token) => token.value === state.partnerTokenValue);
    if (!partnerToken) throw new Error('the saved world has no partner token');
    this.clear();
    for (const business of state.businesses) this.businesses.set(business.id, business);
    for (const waba of state.wabas) this.wabas.set(waba.id, waba);
    for (const phone of state.phoneNumbers) this.phoneNumbers.set(phone.id, phone);
    for (const token of state.tokens) this.tokens.set(token.value, token);
    for (const code of state.codes) this.codes.set(code.value, code);
    for (const [token, calls] of state.debugTokenCalls) this.debugTokenCalls.set(token, calls);
    // The same object as in `tokens`, so invalidating the partner token shows in both.
    this.partnerToken = partnerToken;
    this.lastId = state.lastId;
    this.clock.restoreOffset(state.clockOffsetMs);
    this.settings = this.settingsAfterRestart(state);
  }

  /** Sequential ids in Meta's 15-digit style; the prefix tells the kind apart (7 business, 4 WABA, 6 number, 8 template). */
  nextId(prefix: '4' | '5' | '6' | '7' | '8'): string {
    this.lastId += 1;
    return `${prefix}${String(10_000_000_000_000 + this.lastId).padStart(14, '0')}`;
  }

  addBusiness(business: Omit<BusinessRecord, 'id'>): BusinessRecord {
    const record = { id: this.nextId('7'), ...business };
    this.businesses.set(record.id, record);
    return record;
  }

  addWaba(waba: Pick<WabaRecord, 'name' | 'ownerBusinessId'> & Partial<WabaRecord>): WabaRecord {
    const id = this.nextId('4');
    const record: WabaRecord = {
      id,
      currency: 'USD',
      timezoneId: '1',
      messageTemplateNamespace: `ns_${id.slice(-6)}`,
      accountReviewStatus: 'APPROVED',
      createdAtMs: this.clock.nowMs(),
      sharedWithBusinessIds: [],
      subscriptions: [],
      managementCallsMs: [],
      ...waba,
    };
    this.wabas.set(id, record);
    return record;
  }

  addPhoneNumber(phone: Pick<PhoneNumberRecord, 'wabaId' | 'displayPhoneNumber' | 'verifiedName'> & Partial<PhoneNumberRecord>): PhoneNumberRecord {
    const record: PhoneNumberRecord = {
      id: this.nextId('6'),
      qualityRating: 'GREEN',
      codeVerificationStatus: 'VERIFIED',
      nameStatus: 'APPROVED',
      status: 'CONNECTED',
      platformType: 'CLOUD_API',
      throughputLevel: 'STANDARD',
      messagingLimit: 'TIER_1K',
      accountMode: 'LIVE',
      isOnBizApp: false,
      registrationRequestsMs: [],
      ...phone,
    };
    this.phoneNumbers.set(record.id, record);
    return record;
  }

  private clear(): void {
    for (const map of [this.businesses, this.wabas, this.phoneNumbers, this.tokens, this.codes, this.debugTokenCalls]) map.clear();
    this.lastId = 0;
  }

  private defaultSettings(): SandboxSettings {
    return {
      debugTokenShape: 'with_waba_targets',
      // Meta's ES template: "WhatsApp Embedded Signup Configuration With 60 Expiration Token".
      businessTokenExpiresInSeconds: 60 * 24 * 3600,
      requireAppSecretProof: true,
      webhookUrl: this.options.webhookUrl,
      webhookRetry: { ...this.options.webhookRetry },
      webhookEscapeUnicode: true,
    };
  }

  /**
   * A setting changed through the control API stays as it was; one still at its default follows
   * this run's options (say the API moved to another port, so the webhook URL moved with it).
   */
  private settingsAfterRestart(state: WorldState): SandboxSettings {
    const current = this.defaultSettings();
    const settings = { ...current };
    for (const key of Object.keys(state.settings) as (keyof SandboxSettings)[]) {
      const changedByHand = JSON.stringify(state.settings[key]) !== JSON.stringify(state.defaultSettings[key]);
      if (changedByHand) Object.assign(settings, { [key]: state.settings[key] });
    }
    return settings;
  }

  wabasOwnedBy(businessId: string): WabaRecord[] {
    return [...this.wabas.values()].filter((waba) => waba.ownerBusinessId === businessId);
  }

  phoneNumbersOf(wabaId: string): PhoneNumberRecord[] {
    return [...this.phoneNumbers.values()].filter((phone) => phone.wabaId === wabaId);
  }
}
