/**
 * Numbers on the WhatsApp Business app (coexistence): the one-time synchronisation of the app's
 * contacts and chat history, which Meta allows once per kind within 24 hours of onboarding.
 *
 * - `waiting`: queued, not yet asked of Meta
 * - `requested`: Meta accepted the request; its webhooks are on their way
 * - `receiving`: history chunks are arriving (`progress` below 100)
 * - `complete`: everything arrived (contacts: the address book; history: progress 100)
 * - `declined`: the business chose not to share its chat history (history only)
 * - `expired`: the 24-hour window had closed before we could ask
 * - `failed`: Meta refused or could not be reached for good; `error` says why in words
 */
export type CoexistenceSyncState = 'waiting' | 'requested' | 'receiving' | 'complete' | 'declined' | 'expired' | 'failed';

export interface CoexistenceSyncPartView {
  state: CoexistenceSyncState;
  requestedAt: string | null;
  /** What went wrong or why nothing comes, in words; null otherwise. */
  error: string | null;
}

export interface CoexistenceSyncView {
  phoneNumberId: string;
  wabaId: string;
  displayPhone: string;
  /** When Meta onboarded the number from the app; the window closes 24 hours later. */
  onboardedAt: string | null;
  windowClosesAt: string | null;
  contacts: CoexistenceSyncPartView & { received: number };
  history: CoexistenceSyncPartView & { progress: number; phase: number | null; chunks: number; messages: number };
  /** Messages the business sent from the app since it was connected (`smb_message_echoes`). */
  echoes: number;
}
