import type { SignupLinkState } from '@waba/contracts';
import type { SignupLinkRecord } from './signup-links.repository';

/** Where a link stands: revoked and expired first, then the newest step of its history. */
export function signupLinkState(link: SignupLinkRecord, now: Date, sessionConnected: boolean): SignupLinkState {
  if (link.revokedAt) return 'revoked';
  if (link.onboardingSessionId) return sessionConnected || link.progress.some((p) => p.step === 'connected') ? 'connected' : 'finished';
  if (link.expiresAt <= now) return 'expired';
  // A claim in flight (the code is being exchanged): still inside Meta's sign-up.
  if (link.usedAt) return 'consent_started';
  const last = [...link.progress].reverse().find((p) => p.step === 'opened' || p.step === 'consent_started' || p.step === 'cancelled' || p.step === 'failed');
  return last ? (last.step as SignupLinkState) : 'created';
}

/** Meta's `current_step` ("PHONE_NUMBER_SETUP") in words ("phone number setup"). */
export function stepInWords(step: string): string {
  return step.toLowerCase().replace(/_/g, ' ');
}

function dateInWords(date: Date): string {
  return date.toUTCString();
}

/** The admin's badge and sentence for a link. */
export function describeForAdmin(link: SignupLinkRecord, state: SignupLinkState): { stateLabel: string; explanation: string } {
  switch (state) {
    case 'created':
      return { stateLabel: 'Not opened yet', explanation: `Send the link to the person who owns the Meta business. It works once, until ${dateInWords(link.expiresAt)}.` };
    case 'opened':
      return { stateLabel: 'Opened', explanation: 'The link was opened; they have not started Meta’s sign-up yet.' };
    case 'consent_started':
      return { stateLabel: 'In Meta’s sign-up', explanation: 'They are going through Meta’s sign-up window now.' };
    case 'cancelled':
      return {
        stateLabel: 'Cancelled',
        explanation: `They closed Meta’s window ${link.cancelledAtStep ? `at the “${stepInWords(link.cancelledAtStep)}” step` : 'before finishing'}. The link still works, so they can start again.`,
      };
    case 'failed':
      return { stateLabel: 'Failed', explanation: `The sign-up failed: ${link.lastError?.message ?? 'Meta reported an error'}. The link still works, so they can try again.` };
    case 'finished':
      return link.holderPicks
        ? { stateLabel: 'Waiting for their pick', explanation: 'Meta’s consent was given; the person with the link is choosing the numbers to connect (you can pick them too).' }
        : { stateLabel: 'Pick the numbers', explanation: 'Meta’s consent was given. Choose which of the shared numbers to connect.' };
    case 'connected':
      return { stateLabel: 'Numbers connected', explanation: 'The numbers picked from this consent were connected. The link is used up.' };
    case 'expired':
      return { stateLabel: 'Expired', explanation: `It expired on ${dateInWords(link.expiresAt)} without being used. Create a new link if they still need one.` };
    case 'revoked':
      return { stateLabel: 'Revoked', explanation: `Revoked on ${dateInWords(link.revokedAt ?? link.createdAt)}; the link no longer works.` };
  }
}

/** What the holder's page says: what to do now, or in words why the link no longer works. */
export function describeForHolder(link: SignupLinkRecord, state: SignupLinkState, accountName: string): string {
  const who = `${link.createdByName} at ${accountName}`;
  switch (state) {
    case 'created':
    case 'opened':
    case 'consent_started':
      return `${accountName} asks you to connect its WhatsApp Business numbers. Press “Continue with Meta” and sign in with the Facebook account that manages your Meta business.`;
    case 'cancelled':
      return `You closed Meta’s window ${link.cancelledAtStep ? `at the “${stepInWords(link.cancelledAtStep)}” step` : 'before finishing'}; nothing was shared. You can start again.`;
    case 'failed':
      return `The sign-up did not finish: ${link.lastError?.message ?? 'Meta reported an error'}. You can try again; if it keeps failing, tell ${who}.`;
    case 'finished':
      return link.holderPicks
        ? `Meta shared your accounts with ${accountName}. Choose the numbers ${accountName} may use.`
        : `Thank you: Meta shared your accounts with ${accountName}, and ${who} now chooses which numbers to connect. You can close this page.`;
    case 'connected':
      return `This link was already used on ${dateInWords(link.usedAt ?? link.createdAt)} to connect ${accountName}’s numbers, and it works only once. Ask ${who} for a new link if you need to connect more.`;
    case 'expired':
      return `This link expired on ${dateInWords(link.expiresAt)}. Ask ${who} for a new one.`;
    case 'revoked':
      return `${accountName} withdrew this link on ${dateInWords(link.revokedAt ?? link.createdAt)}, so it no longer works. Ask ${who} for a new one if you still need to connect.`;
  }
}

/** What connecting shares with the tenant, for the holder to read before Meta's window opens. */
export function whatIsShared(accountName: string, holderPicks: boolean): string[] {
  return [
    `The WhatsApp Business Accounts you choose in Meta’s window, with their phone numbers, display names and quality ratings.`,
    `Permission for ${accountName} (through WABA Connect) to manage those accounts: receive their messages and status updates, and register and send from the numbers ${holderPicks ? 'you' : 'they'} pick.`,
    'Your Meta business’s name. Not your Facebook password, your personal profile or any other business asset.',
  ];
}
