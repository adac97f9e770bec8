/**
 * Meta's webhook enums in words, with what each means for the business: the API writes event
 * titles with these, and a WABA's restriction (shown on its card) carries the meaning.
 */
export interface EventWords {
  /** Short headline: "Meta restricted the account". */
  title: string;
  /** What it means for the business and what to do. */
  meaning: string;
  /** The event restricts or warns the WABA: its card shows it until Meta lifts it. */
  restricts?: boolean;
}

const ACCOUNT_UPDATES: Record<string, EventWords> = {
  PARTNER_ADDED: { title: 'Account shared with WABA Connect', meaning: 'The business shared this WhatsApp Business Account with us; its numbers can be connected.' },
  PARTNER_REMOVED: { title: 'Account no longer shared', meaning: 'The business stopped sharing this WhatsApp Business Account with us; its numbers stop working here until you reconnect.' },
  PARTNER_APP_INSTALLED: { title: 'WABA Connect app allowed', meaning: 'The business granted our app access in Meta.' },
  PARTNER_APP_UNINSTALLED: { title: 'WABA Connect app removed', meaning: 'The business removed our app in Meta; its numbers stop working here until you reconnect.' },
  ACCOUNT_VIOLATION: {
    title: 'Meta reported a policy violation',
    meaning: 'Meta found a WhatsApp policy violation on this account. Repeated violations lead to restrictions; see WhatsApp Manager for details.',
    restricts: true,
  },
  ACCOUNT_RESTRICTION: {
    title: 'Meta restricted the account',
    meaning: 'Meta restricted this account: its numbers may not start new conversations for a while. See WhatsApp Manager for the reason and the end date.',
    restricts: true,
  },
  DISABLED_UPDATE: {
    title: 'Meta disabled the account',
    meaning: 'Meta banned or disabled this account; its numbers cannot send. You can appeal in WhatsApp Manager.',
    restricts: true,
  },
  ACCOUNT_DELETED: { title: 'Account deleted in Meta', meaning: 'This WhatsApp Business Account was deleted in Meta; its numbers no longer work.' },
  ACCOUNT_OFFBOARDED: { title: 'Number moved off this account', meaning: 'A number left the Cloud API (device change or re-registration); reconnect it to use it again.' },
  ACCOUNT_RECONNECTED: { title: 'Number back on the Cloud API', meaning: 'A number that had left came back after re-registration.' },
};

const QUALITY_EVENTS: Record<string, EventWords> = {
  FLAGGED: { title: 'flagged for low quality', meaning: 'Customers blocked or reported messages from this number. If quality does not improve within 7 days, Meta lowers its messaging limit.' },
  UNFLAGGED: { title: 'quality back to normal', meaning: 'Meta no longer flags this number; nothing to do.' },
  UPGRADE: { title: 'messaging limit raised', meaning: 'Meta raised how many customers this number may start conversations with per day.' },
  DOWNGRADE: { title: 'messaging limit lowered', meaning: 'Meta lowered how many customers this number may start conversations with per day, because of low quality.' },
  ONBOARDING: { title: 'messaging limit set', meaning: 'Meta set the first messaging limit of this number.' },
};

function words(value: string): string {
  return value.toLowerCase().replace(/_/g, ' ');
}

/** An `account_update` event (PARTNER_ADDED, ACCOUNT_VIOLATION ...) in words. */
export function describeAccountUpdate(event: string): EventWords {
  return ACCOUNT_UPDATES[event] ?? { title: `Account update: ${words(event)}`, meaning: 'Meta reported a change to this account.' };
}

/** A `phone_number_quality_update` event (FLAGGED, UPGRADE ...) in words. */
export function describeQualityEvent(event: string | null | undefined): EventWords {
  return (event && QUALITY_EVENTS[event]) || { title: event ? words(event) : 'quality changed', meaning: 'Meta reported a change to the quality or limit of this number.' };
}

/** "TIER_2K" → "2K customers a day". */
export function describeMessagingLimit(limit: string): string {
  const tier = /^TIER_(.+)$/.exec(limit)?.[1] ?? limit;
  return tier === 'UNLIMITED' ? 'unlimited' : tier === 'NOT_SET' ? 'not set' : `${tier} customers a day`;
}
