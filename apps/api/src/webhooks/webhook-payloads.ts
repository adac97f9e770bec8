// The parts of Meta's webhook envelope we read (meta-platform.md §6.4–6.6, §9.3–9.5). Everything
// is optional: a payload is data from outside, checked field by field where it is used.

export interface WebhookEnvelope {
  object?: string;
  entry?: WebhookEntry[];
}

export interface WebhookEntry {
  id?: string;
  time?: number;
  changes?: WebhookChange[];
}

export interface WebhookChange {
  field?: string;
  value?: Record<string, unknown>;
}

export interface MessagesValue {
  metadata?: { phone_number_id?: string; display_phone_number?: string };
  contacts?: Array<{ wa_id?: string; profile?: { name?: string } }>;
  messages?: Array<{ id?: string; from?: string; timestamp?: string; type?: string; text?: { body?: string }; reaction?: { message_id?: string; emoji?: string } }>;
  statuses?: Array<{ id?: string; status?: string; timestamp?: string; recipient_id?: string; errors?: Array<{ code?: number; title?: string; message?: string }> }>;
}

export interface AccountUpdateValue {
  event?: string;
  waba_info?: { waba_id?: string; owner_business_id?: string };
  disconnection_info?: { reason?: string };
}

export interface QualityUpdateValue {
  display_phone_number?: string;
  event?: string;
  current_limit?: string;
  max_daily_conversations_per_business?: string;
}

export interface NameUpdateValue {
  display_phone_number?: string;
  decision?: string;
  requested_verified_name?: string;
  rejection_reason?: string | null;
}

/** The body as an envelope, or null when it is not a JSON object (stored as rejected, never applied). */
export function parseWebhookEnvelope(rawBody: string): WebhookEnvelope | null {
  try {
    const parsed: unknown = JSON.parse(rawBody);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as WebhookEnvelope) : null;
  } catch {
    return null;
  }
}

/** The WABA and number ids a delivery names, as routing reads them (webhook-applier.service.ts). */
export function idsNamedBy(envelope: WebhookEnvelope): { wabaIds: string[]; phoneNumberIds: string[] } {
  const wabaIds = new Set<string>();
  const phoneNumberIds = new Set<string>();
  for (const entry of envelope.entry ?? []) {
    if (entry.id) wabaIds.add(entry.id);
    for (const change of entry.changes ?? []) {
      const value = (change.value ?? {}) as MessagesValue & AccountUpdateValue;
      if (value.waba_info?.waba_id) wabaIds.add(value.waba_info.waba_id);
      if (value.metadata?.phone_number_id) phoneNumberIds.add(value.metadata.phone_number_id);
    }
  }
  return { wabaIds: [...wabaIds], phoneNumberIds: [...phoneNumberIds] };
}
