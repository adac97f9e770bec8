import { Types } from 'mongoose';
import {
  MetaGraphError,
  type DebugTokenData,
  type GraphErrorKind,
  type InboundMessage,
  type MessageStatus,
  type MessagesValue,
  type MetaGraphErrorInit,
  type PhoneNumber as GraphPhoneNumber,
  type TemplateStatusUpdateValue,
  type Waba,
  type WebhookChange,
  type WebhookEntry,
  type WebhookPayload,
  toPhoneNumberFacts,
} from '@waba/meta-graph';
import { UserRole } from '@waba/contracts';
import type { AccountRecord, UserRecord } from '../accounts/accounts.service';
import type { TenantContext } from '../common/auth/auth.decorators';
import { sha256Hex } from '../common/crypto/sha256';
import type { ConnectionRecord } from '../credentials/credentials.service';
import type { OnboardingSessionRecord } from '../oauth/oauth.repository';
import type { PhoneNumberRecord, WabaRecord } from '../phone-numbers/phone-numbers.service';
import type { RegistrationAttemptRecord } from '../phone-numbers/registration-attempts.repository';
import type { CheckedConnection } from '../credentials/credential-checks.service';
import type { InboxRecord } from '../webhooks/webhooks.repository';

/**
 * Tests only: the records and Graph answers service specs build on. Each factory gives a plain,
 * valid value; a test overrides only the fields its rule reads, so the rule stays visible.
 */

export const ACCOUNT_ID = '64b000000000000000000001';
export const OTHER_ACCOUNT_ID = '64b000000000000000000002';
export const USER_ID = '64b0000000000000000000a1';
export const CONNECTION_ID = '64b0000000000000000000c1';
export const APP_ID = 'app-1';
export const WABA_ID = '1000000000000001';
export const PHONE_NUMBER_ID = '2000000000000001';

export function aTenant(overrides: Partial<TenantContext> = {}): TenantContext {
  return { accountId: ACCOUNT_ID, userId: USER_ID, role: UserRole.Owner, sessionId: 'session-1', operator: false, userName: 'Olivia Owner', ...overrides };
}

// ----- Graph answers (libs/meta-graph's own types) -----

export function aGraphPhoneNumber(overrides: Partial<GraphPhoneNumber> = {}): GraphPhoneNumber {
  return {
    id: PHONE_NUMBER_ID,
    display_phone_number: '+44 7700 900123',
    verified_name: 'Acme Support',
    quality_rating: 'GREEN',
    code_verification_status: 'VERIFIED',
    name_status: 'APPROVED',
    status: 'CONNECTED',
    platform_type: 'CLOUD_API',
    throughput: { level: 'STANDARD' },
    whatsapp_business_manager_messaging_limit: 'TIER_1K',
    ...overrides,
  };
}

export function aGraphWaba(overrides: Partial<Waba> = {}, numbers: GraphPhoneNumber[] = [aGraphPhoneNumber()]): Waba {
  return { id: WABA_ID, name: 'Acme WABA', owner_business_info: { id: 'business-1', name: 'Acme Ltd' }, phone_numbers: { data: numbers }, ...overrides };
}

/** A valid token of our app with WhatsApp management granted on `wabaIds` (granular scopes). */
export function aDebugToken(overrides: Partial<DebugTokenData> = {}, wabaIds: string[] | null = [WABA_ID]): DebugTokenData {
  return {
    app_id: APP_ID,
    type: 'SYSTEM_USER',
    is_valid: true,
    expires_at: 0,
    scopes: ['whatsapp_business_management', 'whatsapp_business_messaging'],
    ...(wabaIds ? { granular_scopes: [{ scope: 'whatsapp_business_management', target_ids: wabaIds }] } : {}),
    user_id: 'meta-user-1',
    ...overrides,
  };
}

const ERROR_CODES: Record<GraphErrorKind, number | undefined> = { credential: 190, permission: 200, rate_limited: 80007, blocked: 133016, temporary: 131000, invalid: 100, unknown: 99999 };

/** What `MetaGraphClient` throws for a refused call of the given kind. */
export function aGraphError(kind: GraphErrorKind, overrides: Partial<MetaGraphErrorInit> = {}): MetaGraphError {
  return new MetaGraphError({
    kind,
    retryable: kind === 'rate_limited' || kind === 'temporary',
    message: `Graph said no (${kind})`,
    code: ERROR_CODES[kind],
    endpoint: 'GET /test',
    ...overrides,
  });
}

// ----- Our records -----

export function aWabaRecord(overrides: Partial<WabaRecord> = {}): WabaRecord {
  return {
    _id: new Types.ObjectId(),
    wabaId: WABA_ID,
    accountId: new Types.ObjectId(ACCOUNT_ID),
    connectionId: new Types.ObjectId(CONNECTION_ID),
    name: 'Acme WABA',
    ownerBusinessId: 'business-1',
    ownerBusinessName: 'Acme Ltd',
    subscribed: true,
    state: 'connected',
    disconnectedAt: null,
    restriction: null,
    ...overrides,
  };
}

export function aPhoneNumberRecord(overrides: Partial<PhoneNumberRecord> = {}): PhoneNumberRecord {
  return {
    _id: new Types.ObjectId(),
    phoneNumberId: PHONE_NUMBER_ID,
    accountId: new Types.ObjectId(ACCOUNT_ID),
    wabaId: WABA_ID,
    connectionId: new Types.ObjectId(CONNECTION_ID),
    displayPhone: '+44 7700 900123',
    verifiedName: 'Acme Support',
    qualityRating: 'GREEN',
    nameStatus: 'APPROVED',
    codeVerificationStatus: 'VERIFIED',
    messagingLimit: 'TIER_1K',
    platformType: 'CLOUD_API',
    throughputLevel: 'STANDARD',
    metaStatus: 'CONNECTED',
    isOnBizApp: false,
    state: 'connected',
    registration: 'registered',
    encryptedPin: null,
    lastError: null,
    isActive: true,
    source: 'oauth',
    lastRefreshedAt: null,
    connectedAt: new Date('2026-11-01T00:00:00Z'),
    disconnectedAt: null,
    ...overrides,
  };
}

/** A register call we made for PHONE_NUMBER_ID `hoursAgo` before `now`, as the budget's collection holds it. */
export function aRegistrationAttempt(now: Date, hoursAgo: number, overrides: Partial<RegistrationAttemptRecord> = {}): RegistrationAttemptRecord {
  return {
    _id: new Types.ObjectId(),
    accountId: new Types.ObjectId(ACCOUNT_ID),
    phoneNumberId: PHONE_NUMBER_ID,
    kind: 'register',
    outcome: 'ok',
    at: new Date(now.getTime() - hoursAgo * 3600_000),
    ...overrides,
  };
}

/** What a stored credential and the token check's view of it have in common. */
function credentialFields() {
  return {
    id: CONNECTION_ID,
    accountId: ACCOUNT_ID,
    encryptedToken: 'v2.encrypted-token',
    tokenFingerprint: sha256Hex('tenant-token'),
    source: 'oauth' as const,
    tokenType: 'SYSTEM_USER',
    grantedWabaIds: [WABA_ID],
    expiresAt: null,
    status: 'active' as const,
    lastCheckedAt: null,
    lastError: null,
  };
}

export function aConnectionRecord(overrides: Partial<ConnectionRecord> = {}): ConnectionRecord {
  return { ...credentialFields(), scopes: ['whatsapp_business_management'], dataAccessExpiresAt: null, nextCheckAt: null, checkFailures: 0, savedAt: new Date('2026-11-01T00:00:00Z'), ...overrides };
}

/** A credential as its check job holds it (credentials/credential-checks.repository.ts). */
export function aCheckedConnection(overrides: Partial<CheckedConnection> = {}): CheckedConnection {
  return { ...credentialFields(), nextCheckAt: null, checkFailures: 0, ...overrides };
}

/** A pending onboarding session that discovered `wabas` (each number stored as our facts of it). */
export function anOnboardingSession(overrides: Partial<OnboardingSessionRecord> = {}, wabas: Waba[] = [aGraphWaba()]): OnboardingSessionRecord {
  return {
    _id: new Types.ObjectId('64b0000000000000000000e1'),
    accountId: new Types.ObjectId(ACCOUNT_ID),
    userId: new Types.ObjectId(USER_ID),
    connectionId: new Types.ObjectId(CONNECTION_ID),
    source: 'oauth',
    status: 'pending',
    reconnectPhoneNumberId: null,
    expiresAt: new Date('2026-11-25T13:00:00Z'),
    wabas: wabas.map((w) => ({ wabaId: w.id, name: w.name ?? null, ownerBusinessId: w.owner_business_info?.id ?? null, ownerBusinessName: w.owner_business_info?.name ?? null })),
    numbers: wabas.flatMap((w) => (w.phone_numbers?.data ?? []).map((n) => ({ ...toPhoneNumberFacts(n), wabaId: w.id, outcomeState: null, outcomeMessage: null }))),
    ...overrides,
  };
}

/** A stored webhook delivery: the body as Meta sent it, keyed by its SHA-256. */
export function anInboxEntry(body: unknown, overrides: Partial<InboxRecord> = {}): InboxRecord {
  const rawBody = typeof body === 'string' ? body : JSON.stringify(body);
  return { _id: sha256Hex(rawBody), rawBody, sizeBytes: Buffer.byteLength(rawBody), receivedAt: new Date('2026-11-25T11:59:59Z'), acceptId: 'accept-1', ...overrides };
}

// ----- Webhook deliveries (libs/meta-graph's shapes, as Meta sends them) -----

/** One delivery with one entry for `entryId` (a WABA id) holding `changes`. */
export function aWebhookPayload(changes: WebhookChange[], entry: Partial<WebhookEntry> = {}): WebhookPayload {
  return { object: 'whatsapp_business_account', entry: [{ id: WABA_ID, changes, ...entry }] };
}

export function aMessagesChange(value: Partial<MessagesValue> = {}): WebhookChange {
  return { field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '447700900123', phone_number_id: PHONE_NUMBER_ID }, ...value } };
}

export function anInboundMessage(overrides: Partial<InboundMessage> = {}): InboundMessage {
  return { from: '447700900999', id: 'wamid.in-1', timestamp: '1764072000', type: 'text', text: { body: 'Hello' }, ...overrides };
}

export function aMessageStatus(overrides: Partial<MessageStatus> = {}): MessageStatus {
  return { id: 'wamid.out-1', status: 'delivered', timestamp: '1764072000', recipient_id: '447700900999', ...overrides };
}

export function anAccountRecord(overrides: Partial<AccountRecord> = {}): AccountRecord {
  return { id: ACCOUNT_ID, name: 'Acme Ltd', createdAt: new Date('2026-10-01T00:00:00Z'), ...overrides };
}

export function aUserRecord(overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    id: USER_ID,
    accountId: ACCOUNT_ID,
    name: 'Olivia Owner',
    email: 'olivia@acme.test',
    role: UserRole.Owner,
    passwordHash: 'argon2-hash',
    createdAt: new Date('2026-10-01T00:00:00Z'),
    ...overrides,
  };
}

/** A `message_template_status_update` change, as Meta sends it (template ids are numbers there). */
export function aTemplateStatusChange(value: Partial<TemplateStatusUpdateValue> = {}): WebhookChange {
  return {
    field: 'message_template_status_update',
    value: {
      event: 'APPROVED',
      message_template_id: 880000000000001,
      message_template_name: 'order_ready',
      message_template_language: 'en_US',
      reason: 'NONE',
      message_template_category: 'UTILITY',
      ...value,
    },
  };
}
