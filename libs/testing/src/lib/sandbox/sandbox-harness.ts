// Test harness: a real sandbox on port 0, a real MetaGraphClient against it, and small
// factories (`grantConsent`, `control`) so specs state behaviour instead of plumbing.
import { INestApplication } from '@nestjs/common';
import { MetaGraphClient, MetaGraphClientDeps, MetaGraphConfig } from '@waba/meta-graph';
import { AddressInfo } from 'node:net';
import { SandboxClock } from '@waba/meta-sandbox/app/common/sandbox-clock';
import { createSandboxApp, CreateSandboxAppOptions } from '@waba/meta-sandbox/app/create-sandbox-app';
import { WorldStore } from '@waba/meta-sandbox/app/world/world.store';
import { APP_ID, APP_SECRET, CONFIG_ID, VERSION } from '../meta-app';

export { APP_ID, APP_SECRET, CONFIG_ID, VERSION };

export interface Sandbox {
  app: INestApplication;
  baseUrl: string;
  world: WorldStore;
  clock: SandboxClock;
  /** A client whose retries sleep for no time; `sleeps` records what it would have waited. */
  client(overrides?: Partial<MetaGraphConfig>, deps?: MetaGraphClientDeps): MetaGraphClient;
  sleeps: number[];
  control<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

export async function startSandbox(options: CreateSandboxAppOptions = {}): Promise<Sandbox> {
  const app = await createSandboxApp({ appId: APP_ID, appSecret: APP_SECRET, logger: false, ...options });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const sleeps: number[] = [];
  return {
    app,
    baseUrl,
    world: app.get(WorldStore),
    clock: app.get(SandboxClock),
    sleeps,
    client: (overrides = {}, deps = {}) =>
      new MetaGraphClient(
        { graphBaseUrl: baseUrl, dialogBaseUrl: baseUrl, apiVersion: VERSION, appId: APP_ID, appSecret: APP_SECRET, ...overrides },
        { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, ...deps },
      ),
    control: async <T>(method: string, path: string, body?: unknown) => {
      const response = await fetch(`${baseUrl}/_sandbox${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
    close: () => app.close(),
  };
}

export interface ConsentInput {
  flow: 'sdk' | 'redirect';
  business?: string;
  /** WABA names to tick; default every WABA of the business. */
  wabas?: string[];
  /** Tick numbers too (default true). */
  withNumbers?: boolean;
  redirectUri?: string;
  extras?: Record<string, unknown>;
  action?: 'continue' | 'cancel' | 'error';
}

export interface ConsentResult {
  /** The authorization code (redirect `code` parameter or the SDK's `authResponse.code`). */
  code?: string;
  /** Popup only: the messages posted to the opener, parsed, in order, and their target origin. */
  messages: Record<string, unknown>[];
  targetOrigin?: string;
  /** Redirect only: the Location the dialog sent the browser to. */
  location?: URL;
  businessId: string;
  wabaIds: string[];
}

export const OPENER_ORIGIN = 'http://localhost:3000';

/** Drives the consent dialog over HTTP the way a browser submits it. */
export async function grantConsent(sandbox: Sandbox, input: ConsentInput): Promise<ConsentResult> {
  const business = [...sandbox.world.businesses.values()].find((b) => b.name === (input.business ?? 'Acme Bakery'));
  if (!business) throw new Error(`no business ${input.business}`);
  const wabas = sandbox.world.wabasOwnedBy(business.id).filter((waba) => !input.wabas || input.wabas.includes(waba.name));
  const form = new URLSearchParams({
    client_id: APP_ID,
    config_id: CONFIG_ID,
    response_type: 'code',
    override_default_response_type: 'true',
    state: 'state-123',
    business_id: business.id,
    action: input.action ?? 'continue',
    step: 'PHONE_NUMBER_SETUP',
    ...(input.extras && { extras: JSON.stringify(input.extras) }),
    ...(input.flow === 'sdk' ? { sdk: 'sandbox', display: 'popup', origin: OPENER_ORIGIN } : { redirect_uri: input.redirectUri ?? 'https://app.example/integrations/whatsapp/callback' }),
  });
  for (const waba of wabas) {
    form.append('waba_ids', waba.id);
    if (input.withNumbers !== false) {
      for (const phone of sandbox.world.phoneNumbersOf(waba.id)) form.append('phone_number_ids', phone.id);
    }
  }
  const response = await fetch(`${sandbox.baseUrl}/${VERSION}/dialog/oauth/confirm`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  const result: ConsentResult = { messages: [], businessId: business.id, wabaIds: wabas.map((w) => w.id) };
  if (input.flow === 'redirect') {
    result.location = new URL(response.headers.get('location') ?? '');
    result.code = result.location.searchParams.get('code') ?? undefined;
    return result;
  }
  const page = await response.text();
  const origin = /const origin = ("[^"]*");/.exec(page);
  const list = /for \(const message of (\[.*?\])\) window\.opener/.exec(page);
  result.targetOrigin = origin ? (JSON.parse(origin[1]) as string) : undefined;
  result.messages = list ? (JSON.parse(list[1]) as string[]).map((m) => JSON.parse(m) as Record<string, unknown>) : [];
  const sdkResult = result.messages.find((m) => m['type'] === 'SANDBOX_SDK_LOGIN_RESULT') as { response: { authResponse: { code: string } | null } } | undefined;
  result.code = sdkResult?.response.authResponse?.code;
  return result;
}

/** A business token from a finished Embedded Signup for the given business. */
export async function businessToken(sandbox: Sandbox, business = 'Acme Bakery'): Promise<string> {
  const consent = await grantConsent(sandbox, { flow: 'sdk', business });
  const result = await sandbox.client().exchangeCode({ code: consent.code ?? '' });
  return result.access_token;
}

export function wabaIdOf(sandbox: Sandbox, name: string): string {
  const waba = [...sandbox.world.wabas.values()].find((w) => w.name === name);
  if (!waba) throw new Error(`no WABA ${name}`);
  return waba.id;
}

export function phoneIdOf(sandbox: Sandbox, displayPhoneNumber: string): string {
  const phone = [...sandbox.world.phoneNumbers.values()].find((p) => p.displayPhoneNumber === displayPhoneNumber);
  if (!phone) throw new Error(`no phone ${displayPhoneNumber}`);
  return phone.id;
}

/** Resolves with the rejection of a promise that must fail. */
export async function failure<E = Error>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (error) {
    return error as E;
  }
  throw new Error('expected the call to fail');
}
