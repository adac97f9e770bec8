import type { CreatedInvitationView, SessionView, UserRole } from '@waba/contracts';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { TestBrowser } from '@waba/testing';
import type { SignedInTenant } from './tenants';

export interface InvitedUser {
  browser: TestBrowser;
  session: SessionView;
  email: string;
  password: string;
}

/** The owner invites a new user, who accepts in their own browser and is signed in. */
export async function addInvitedUser(server: Server, owner: SignedInTenant, role: UserRole | 'admin' | 'owner' = 'admin', name = 'Invited User'): Promise<InvitedUser> {
  const email = `invited-${randomBytes(5).toString('hex')}@example.com`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const invitation = await owner.browser.post('/api/accounts/invitations', { email, role });
  if (invitation.status !== 201) throw new Error(`invitation failed: ${invitation.status} ${JSON.stringify(invitation.body)}`);
  const token = (invitation.body as CreatedInvitationView).link.split('#')[1];
  const browser = await new TestBrowser(server).visit();
  const accepted = await browser.post('/api/invitations/accept', { token, name, password });
  if (accepted.status !== 201) throw new Error(`accepting failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return { browser, session: accepted.body as SessionView, email, password };
}
