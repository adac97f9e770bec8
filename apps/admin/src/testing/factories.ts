import type { ApiErrorBody, SessionView, UserView } from '@waba/contracts';
import type { ConnectionView, OnboardingNumberView, OnboardingSessionView, OnboardingWabaView, PhoneNumberView, TenantEventView, WabaView, WhatsAppStatusView } from '@waba/contracts';

/** Test data for the SPA's unit tests: small builders, override what the test is about. */
let sequence = 0;

/** `UserRole` is an enum; tests (like the SPA) speak its string values. */
type UserOverrides = Partial<Omit<UserView, 'role'>> & { role?: 'owner' | 'admin' };

export function createUser(overrides: UserOverrides = {}): UserView {
  sequence += 1;
  const { role = 'owner', ...rest } = overrides;
  return {
    id: `user-${sequence}`,
    name: 'Ada Owner',
    email: `ada${sequence}@example.com`,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...rest,
    role: role as UserView['role'],
  };
}

export function createSession(user: UserOverrides = {}, accountName = 'Acme Traders'): SessionView {
  sequence += 1;
  return {
    user: createUser(user),
    account: { id: `account-${sequence}`, name: accountName, createdAt: '2026-01-01T00:00:00.000Z' },
  };
}

export function apiError(statusCode: number, message: string, details?: string[]): ApiErrorBody {
  return { statusCode, error: 'Error', message, ...(details ? { details } : {}) };
}

// --- WhatsApp ---------------------------------------------------------------------------------

export function createConnection(overrides: Partial<ConnectionView> = {}): ConnectionView {
  sequence += 1;
  return {
    id: `connection-${sequence}`,
    source: 'embedded_signup',
    status: 'active',
    expiresAt: null,
    lastCheckedAt: null,
    lastError: null,
    ...overrides,
  };
}

export function createPhoneNumber(overrides: Partial<PhoneNumberView> = {}): PhoneNumberView {
  sequence += 1;
  return {
    phoneNumberId: `10${sequence}`,
    wabaId: '900',
    displayPhone: `+1 555-010-${String(sequence).padStart(4, '0')}`,
    verifiedName: 'Acme Bakery',
    qualityRating: 'GREEN',
    nameStatus: 'APPROVED',
    codeVerificationStatus: 'VERIFIED',
    messagingLimit: 'TIER_2K',
    platformType: 'CLOUD_API',
    metaStatus: 'CONNECTED',
    state: 'connected',
    registration: 'not_needed',
    isActive: false,
    source: 'embedded_signup',
    lastError: null,
    lastRefreshedAt: null,
    connectedAt: '2026-01-01T00:00:00.000Z',
    pinSet: false,
    ...overrides,
  };
}

export function createWaba(overrides: Partial<WabaView> = {}): WabaView {
  sequence += 1;
  return {
    wabaId: `90${sequence}`,
    name: 'Acme Bakery',
    ownerBusinessName: 'Acme Bakery Ltd',
    subscribed: true,
    state: 'connected',
    connection: createConnection(),
    restriction: null,
    numbers: [],
    ...overrides,
  };
}

export function createStatus(wabas: WabaView[] = []): WhatsAppStatusView {
  const numbers = wabas.flatMap((waba) => waba.numbers);
  return {
    connected: numbers.some((n) => n.state === 'connected'),
    activePhoneNumberId: numbers.find((n) => n.isActive)?.phoneNumberId ?? null,
    wabas,
  };
}

export function createOnboardingNumber(overrides: Partial<OnboardingNumberView> = {}): OnboardingNumberView {
  sequence += 1;
  return {
    phoneNumberId: `20${sequence}`,
    displayPhone: `+1 555-030-${String(sequence).padStart(4, '0')}`,
    verifiedName: 'Acme Bakery',
    qualityRating: 'GREEN',
    nameStatus: 'APPROVED',
    codeVerificationStatus: 'VERIFIED',
    platformType: 'CLOUD_API',
    availability: 'available',
    ...overrides,
  };
}

export function createOnboardingSession(wabas: Array<Partial<OnboardingWabaView>>, overrides: Partial<OnboardingSessionView> = {}): OnboardingSessionView {
  sequence += 1;
  const numbers = wabas.flatMap((waba) => waba.numbers ?? []);
  const count = (availability: OnboardingNumberView['availability']) => numbers.filter((n) => n.availability === availability).length;
  return {
    id: `session-${sequence}`,
    source: 'embedded_signup',
    status: 'pending',
    expiresAt: '2099-01-01T00:00:00.000Z',
    wabas: wabas.map((waba, index) => ({
      wabaId: `80${sequence}${index}`,
      name: `WABA ${index + 1}`,
      ownerBusinessName: 'Acme Bakery Ltd',
      numbers: [],
      ...waba,
    })),
    // As the API derives them when nothing is being reconnected.
    counts: { shared: numbers.length, new: count('available'), connectedHere: count('connected_here'), taken: count('taken') },
    preselectedPhoneNumberIds: numbers.filter((n) => n.availability === 'connected_here' && !n.outcome).map((n) => n.phoneNumberId),
    reconnectPhoneNumberId: null,
    ...overrides,
  };
}

export function createTenantEvent(overrides: Partial<TenantEventView> = {}): TenantEventView {
  sequence += 1;
  return {
    id: `event-${sequence}`,
    type: 'message.received',
    title: `Message from +1555000${sequence}`,
    detail: 'Hello',
    phoneNumberId: '101',
    wabaId: '900',
    occurredAt: '2026-01-01T00:00:00.000Z',
    receivedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}
