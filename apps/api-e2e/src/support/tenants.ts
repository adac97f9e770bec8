import type { SessionView } from '@waba/contracts';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { TestBrowser } from '@waba/testing';

export interface SignedInTenant {
  browser: TestBrowser;
  session: SessionView;
  email: string;
  password: string;
}

/** Signs up a new tenant with its owner and returns the owner's signed-in browser. */
export async function createTenant(server: Server, name = 'Acme'): Promise<SignedInTenant> {
  const browser = await new TestBrowser(server).visit();
  const email = `owner-${randomBytes(5).toString('hex')}@example.com`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const response = await browser.post('/api/auth/signup', { accountName: name, name: `${name} Owner`, email, password });
  if (response.status !== 201) throw new Error(`sign-up failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { browser, session: response.body as SessionView, email, password };
}

/** Two unrelated tenants, for isolation tests. */
export async function createTwoTenants(server: Server): Promise<[SignedInTenant, SignedInTenant]> {
  return [await createTenant(server, 'Tenant A'), await createTenant(server, 'Tenant B')];
}
