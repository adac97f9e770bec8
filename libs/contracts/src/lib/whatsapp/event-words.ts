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

/** Why the active number changed without anyone choosing it. */
export type ActiveNumberCause = 'disconnected' | 'waba_disconnected' | 'access_removed' | 'restricted' | 'flagged' | 'credential_dead' | 'not_usable';

const ACTIVE_CAUSES: Record<ActiveNumberCause, string> = {
  disconnected: 'was disconnected',
  waba_disconnected: 'left with its WhatsApp Business Account, which was disconnected',
  access_removed: 'lost our access: the business removed it in Meta',
  restricted: 'was restricted by Meta',
  flagged: 'was flagged by Meta for low quality',
  credential_dead: 'cannot send: Meta no longer accepts its credential',
  not_usable: 'can no longer send',
};

/**
 * The tenant's event (and audit details) when the active number goes away: which number replaced
 * it, or that none did. A flagged, restricted or disconnected number is never chosen for them.
 */
export function describeActiveNumberChange(change: { previous: string; next: string | null; cause: ActiveNumberCause }): EventWords {
  const why = `${change.previous} ${ACTIVE_CAUSES[change.cause]}.`;
  if (change.next) {
    return {
      title: `Active number is now ${change.next}`,
      meaning: `${why} ${change.next} is now the active number; messages go out from it. You can choose another one on the WhatsApp page.`,
    };
  }
  return {
    title: 'No active number',
    meaning: `${why} No other connected number can send without a warning, so none is active now. Connect a number or choose one on the WhatsApp page.`,
  };
}
