/**
 * The tenant matrix: every route of the running app (read from the app itself, so a new route
 * cannot be forgotten) × every kind of caller that must not get through, with the victim tenant's
 * ids in every id position. The expectations table below is the contract: a route missing from it,
 * or an entry whose route is gone, fails the suite.
 */
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { listAppRoutes, expressMiddlewareNames, fillPath, type AppRoute } from '../support/route-list';
import { RecordingBrowser } from '@waba/testing';
import { buildSecurityWorld, signIn, victimSnapshot, type SecurityWorld } from '../support/security-world';
import type { Sandbox } from '../support/meta-sandbox';
import type { TestApp } from '../support/test-app';
import { useApiWithSandbox } from '../support/suite';

type Case = 'anonymous' | 'forgedSession' | 'otherTenant' | 'missingCsrf' | 'wrongRole';
type Access = 'public' | 'session' | 'owner' | 'operator' | 'signature' | 'middleware';

interface Variant {
  name: string;
  params?: Record<string, string>;
  query?: string;
  body?: object;
  headers?: Record<string, string>;
  /** Overrides the route's expectation for this request (a body the route refuses before any lookup). */
  expect?: Partial<Record<Case, number | number[]>>;
}

interface Expectation {
  access: Access;
  /** The route acts on the caller's own tenant only (no tenant-owned id in the request): the other tenant may succeed, on its own data. */
  ownTenantOnly?: boolean;
  /** The call ends the caller's session: the other tenant's case uses a session of its own, made for it. */
  consumesSession?: boolean;
  /** Requests to send, with the victim's ids in every id position. */
  variants: (w: SecurityWorld) => Variant[];
  expect: Partial<Record<Case, number | number[]>>;
}

const fresh = () => randomBytes(4).toString('hex');
const noIds = (): Variant[] => [{ name: 'plain' }];
const publicPage = (status = 200): Expectation => ({ access: 'public', ownTenantOnly: true, variants: noIds, expect: { anonymous: status, forgedSession: status, otherTenant: status } });
const private401 = { anonymous: 401, forgedSession: 401 };
const unsafe = { ...private401, missingCsrf: 403 };

/** Route → what it takes and what every caller gets. */
const EXPECTATIONS: Record<string, Expectation> = {
  // Nest's middleware for `forRoutes('*')` (the CSRF cookie): app.all() layers, not handlers.
  'ALL /api/{*path}': { access: 'middleware', variants: () => [], expect: {} },
  'ALL /api$': { access: 'middleware', variants: () => [], expect: {} },

  'GET /api/health': publicPage(),
  'GET /api/health/live': publicPage(),
  'GET /api/health/ready': publicPage(),
  'GET /api/docs': publicPage(),
  'GET /api/docs/': publicPage(),
  'GET /api/docs/index.html': publicPage(),
  'GET /api/docs/swagger-ui-init.js': publicPage(),
  'GET /api/docs/docs/swagger-ui-init.js': publicPage(),
  // Registered by Swagger's static serving, absent from the package: 404.
  'GET /api/docs/LICENSE': publicPage(404),
  'GET /api/docs-json': publicPage(),
  'GET /api/docs-yaml': publicPage(),

  'POST /api/auth/signup': {
    access: 'public',
    // The victim's email in the email position: taken.
    variants: (w) => [{ name: "victim's email", body: { accountName: 'Evil', name: 'Eve', email: w.victim.email, password: `pw-${fresh()}-long-enough` } }],
    expect: { anonymous: 409, forgedSession: 409, otherTenant: 409, missingCsrf: 403 },
  },
  'POST /api/auth/login': {
    access: 'public',
    variants: (w) => [
      { name: "victim's email, wrong password", body: { email: w.victim.email, password: 'not the password 1' } },
      ...(w.admin ? [{ name: "victim admin's email, wrong password", body: { email: w.admin.email, password: 'not the password 1' } }] : []),
    ],
    expect: { anonymous: 401, forgedSession: 401, otherTenant: 401, missingCsrf: 403 },
  },
  'POST /api/auth/logout': { access: 'session', ownTenantOnly: true, consumesSession: true, variants: noIds, expect: { ...unsafe, otherTenant: 204 } },
  'GET /api/auth/me': { access: 'session', ownTenantOnly: true, variants: noIds, expect: { ...private401, otherTenant: 200 } },

  'POST /api/auth/password': {
    access: 'session',
    ownTenantOnly: true,
    // The victim's password as the "current" one: it is not the caller's, so nothing changes.
    variants: (w) => [{ name: "victim's password", body: { currentPassword: w.victim.password, newPassword: `pw-${fresh()}-long-enough` } }],
    expect: { ...unsafe, otherTenant: 400 },
  },

  'GET /api/accounts/users': { access: 'session', ownTenantOnly: true, variants: noIds, expect: { ...private401, otherTenant: 200 } },
  'PATCH /api/accounts/users/:userId': {
    access: 'owner',
    variants: (w) => [
      { name: 'victim owner', params: { userId: w.victim.userId }, body: { role: 'admin' } },
      ...(w.admin ? [{ name: 'victim admin', params: { userId: w.admin.userId }, body: { role: 'owner' } }] : []),
    ],
    expect: { ...unsafe, otherTenant: 404, wrongRole: 403 },
  },
  'DELETE /api/accounts/users/:userId': {
    access: 'owner',
    variants: (w) => [{ name: 'victim owner', params: { userId: w.victim.userId } }, ...(w.admin ? [{ name: 'victim admin', params: { userId: w.admin.userId } }] : [])],
    expect: { ...unsafe, otherTenant: 404, wrongRole: 403 },
  },
  'GET /api/accounts/invitations': { access: 'owner', ownTenantOnly: true, variants: noIds, expect: { ...private401, otherTenant: 200, wrongRole: 403 } },
  'POST /api/accounts/invitations': {
    access: 'owner',
    ownTenantOnly: true,
    // The victim's emails in the email position: they have accounts, never invited elsewhere.
    variants: (w) => [
      { name: "victim's email", body: { email: w.victim.email, role: 'admin' } },
      ...(w.admin ? [{ name: "victim admin's email", body: { email: w.admin.email, role: 'owner' } }] : []),
    ],
    expect: { ...unsafe, otherTenant: 409, wrongRole: 403 },
  },
  'DELETE /api/accounts/invitations/:invitationId': {
    access: 'owner',
    variants: (w) => [{ name: "victim's pending invitation", params: { invitationId: w.victim.pendingInvitationId } }],
    expect: { ...unsafe, otherTenant: 404, wrongRole: 403 },
  },
  // Public: the token is the credential; a guessed one matches nothing.
  'POST /api/invitations/preview': {
    access: 'public',
    variants: () => [{ name: 'a guessed token', body: { token: randomBytes(32).toString('base64url') } }],
    expect: { anonymous: 404, forgedSession: 404, otherTenant: 404, missingCsrf: 403 },
  },
  'POST /api/invitations/accept': {
    access: 'public',
    variants: () => [{ name: 'a guessed token', body: { token: randomBytes(32).toString('base64url'), name: 'Eve', password: `pw-${fresh()}-long-enough` } }],
    expect: { anonymous: 404, forgedSession: 404, otherTenant: 404, missingCsrf: 403 },
  },
  'GET /api/signup-links': { access: 'session', ownTenantOnly: true, variants: noIds, expect: { ...private401, otherTenant: 200 } },
  'POST /api/signup-links': { access: 'session', ownTenantOnly: true, variants: () => [{ name: 'a link', body: { expiresIn: '1h', holderPicks: false } }], expect: { ...unsafe, otherTenant: 201 } },
  'POST /api/signup-links/:id/revoke': {
    access: 'session',
    variants: (w) => [{ name: "victim's signup link", params: { id: w.victim.signupLinkId } }],
    expect: { ...unsafe, otherTenant: 404 },
  },
  // Public: the link's token is the credential; a guessed one matches nothing.
  ...Object.fromEntries(
    (
      [
        ['open', {}],
        ['progress', { step: 'cancelled', currentStep: 'PHONE_NUMBER_SETUP' }],
        ['finish', { code: 'a-code' }],
        ['confirm', { phoneNumberIds: ['1000000000000001'] }],
      ] as const
    ).map(([action, body]) => [
      `POST /api/signup-links/holder/${action}`,
      {
        access: 'public',
        variants: () => [{ name: 'a guessed token', body: { token: randomBytes(32).toString('base64url'), ...body } }],
        expect: { anonymous: 404, forgedSession: 404, otherTenant: 404, missingCsrf: 403 },
      } satisfies Expectation,
    ]),
  ),
  'GET /api/integrations/whatsapp/onboarding-attempts': { access: 'session', ownTenantOnly: true, variants: noIds, expect: { ...private401, otherTenant: 200 } },
  'POST /api/integrations/whatsapp/onboarding-attempts': {
    access: 'session',
    ownTenantOnly: true,
    variants: () => [{ name: 'an attempt', body: { flow: 'embedded_signup' } }],
    expect: { ...unsafe, otherTenant: 201 },
  },
  'POST /api/integrations/whatsapp/onboarding-attempts/:attemptId/ended': {
    access: 'session',
    variants: (w) => [{ name: "victim's attempt", params: { attemptId: w.victim.onboardingAttemptId }, body: { outcome: 'cancelled', currentStep: 'PHONE_NUMBER_SETUP' } }],
    expect: { ...unsafe, otherTenant: 404 },
  },
  'GET /api/operator/onboarding-funnel': { access: 'operator', variants: noIds, expect: { ...private401, otherTenant: 403, wrongRole: 403 } },
  'GET /api/audit-log': { access: 'session', ownTenantOnly: true, variants: () => [{ name: 'limit', query: 'limit=500' }], expect: { ...private401, otherTenant: 200 } },
  'GET /api/events': { access: 'session', ownTenantOnly: true, variants: () => [{ name: 'all types', query: 'page=1&pageSize=100' }], expect: { ...private401, otherTenant: 200 } },
  'GET /api/overview': { access: 'session', ownTenantOnly: true, variants: noIds, expect: { ...private401, otherTenant: 200 } },
  'GET /api/operator/webhook-deliveries': {
    access: 'operator',
    variants: () => [{ name: 'all', query: 'status=failed' }],
    expect: { ...private401, otherTenant: 403, wrongRole: 403 },
  },

  'GET /api/phone-numbers': { access: 'session', ownTenantOnly: true, variants: noIds, expect: { ...private401, otherTenant: 200 } },
  'POST /api/phone-numbers/:phoneNumberId/active': {
    access: 'session',
    variants: (w) => w.victim.phoneNumberIds.map((id, i) => ({ name: `victim number ${i}`, params: { phoneNumberId: id } })),
    expect: { ...unsafe, otherTenant: 404 },
  },
  // Owners only (the service refuses an admin in words, before anything is read); another tenant's number is not found.
  'POST /api/phone-numbers/:phoneNumberId/pin/reveal': {
    access: 'session',
    variants: (w) => w.victim.phoneNumberIds.map((id, i) => ({ name: `victim number ${i}`, params: { phoneNumberId: id }, body: { password: `pw-${fresh()}-long-enough` } })),
    expect: { ...unsafe, otherTenant: 404 },
  },
  'POST /api/phone-numbers/:phoneNumberId/refresh': {
    access: 'session',
    variants: (w) => [{ name: 'victim number', params: { phoneNumberId: w.victim.phoneNumberIds[0] } }],
    expect: { ...unsafe, otherTenant: 404 },
  },
  'POST /api/phone-numbers/:phoneNumberId/disconnect': {
    access: 'session',
    variants: (w) => w.victim.phoneNumberIds.map((id, i) => ({ name: `victim number ${i}`, params: { phoneNumberId: id } })),
    expect: { ...unsafe, otherTenant: 404 },
  },
  'GET /api/phone-numbers/coexistence': { access: 'session', ownTenantOnly: true, variants: noIds, expect: { ...private401, otherTenant: 200 } },
  'GET /api/wabas/:wabaId/templates': {
    access: 'session',
    variants: (w) => [{ name: 'victim WABA', params: { wabaId: w.victim.wabaId } }],
    expect: { ...private401, otherTenant: 404 },
  },
  'POST /api/wabas/:wabaId/templates/sync': {
    access: 'session',
    variants: (w) => [{ name: 'victim WABA', params: { wabaId: w.victim.wabaId } }],
    expect: { ...unsafe, otherTenant: 404 },
  },
  'GET /api/number-health': { access: 'session', ownTenantOnly: true, variants: noIds, expect: { ...private401, otherTenant: 200 } },
  'POST /api/number-health/check': { access: 'session', ownTenantOnly: true, variants: noIds, expect: { ...unsafe, otherTenant: 200 } },
  'POST /api/number-health/wabas/:wabaId/resubscribe': {
    access: 'session',
    variants: (w) => [{ name: 'victim WABA', params: { wabaId: w.victim.wabaId } }],
    expect: { ...unsafe, otherTenant: 404 },
  },
  'POST /api/number-health/:phoneNumberId/re-register': {
    access: 'session',
    variants: (w) => w.victim.phoneNumberIds.map((id, i) => ({ name: `victim number ${i}`, params: { phoneNumberId: id } })),
    expect: { ...unsafe, otherTenant: 404 },
  },
  // A number's settings (number-settings): every route reads the number by the caller's tenant first.
  'GET /api/phone-numbers/:phoneNumberId/settings': {
    access: 'session',
    variants: (w) => [{ name: 'victim number', params: { phoneNumberId: w.victim.phoneNumberIds[0] } }],
    expect: { ...private401, otherTenant: 404 },
  },
  'POST /api/phone-numbers/:phoneNumberId/retry': {
    access: 'session',
    variants: (w) => [{ name: 'victim number, registering', params: { phoneNumberId: w.victim.phoneNumberIds[0] }, body: { register: true } }],
    expect: { ...unsafe, otherTenant: 404 },
  },
  'GET /api/phone-numbers/:phoneNumberId/registration-budget': {
    access: 'session',
    variants: (w) => [{ name: 'victim number', params: { phoneNumberId: w.victim.phoneNumberIds[0] } }],
    expect: { ...private401, otherTenant: 404 },
  },
  'PUT /api/phone-numbers/:phoneNumberId/profile': {
    access: 'session',
    variants: (w) => [{ name: 'victim number', params: { phoneNumberId: w.victim.phoneNumberIds[0] }, body: { about: `Taken over ${fresh()}` } }],
    expect: { ...unsafe, otherTenant: 404 },
  },
  'POST /api/phone-numbers/:phoneNumberId/profile/photo': {
    access: 'session',
    variants: (w) => [{ name: 'victim number', params: { phoneNumberId: w.victim.phoneNumberIds[0] } }],
    expect: { ...unsafe, otherTenant: 404 },
  },
  'POST /api/phone-numbers/:phoneNumberId/display-name': {
    access: 'session',
    variants: (w) => [{ name: 'victim number', params: { phoneNumberId: w.victim.phoneNumberIds[0] }, body: { name: `Taken over ${fresh()}` } }],
    expect: { ...unsafe, otherTenant: 404 },
  },
  'POST /api/phone-numbers/:phoneNumberId/display-name/reregister': {
    access: 'session',
    variants: (w) => [{ name: 'victim number', params: { phoneNumberId: w.victim.phoneNumberIds[0] } }],
    expect: { ...unsafe, otherTenant: 404 },
  },
  'POST /api/phone-numbers/:phoneNumberId/pin': {
    access: 'session',
    variants: (w) => w.victim.phoneNumberIds.map((id, i) => ({ name: `victim number ${i}`, params: { phoneNumberId: id }, body: { pin: '424242', password: `pw-${fresh()}-long-enough` } })),
    expect: { ...unsafe, otherTenant: 404 },
  },
  'POST /api/settings/phone-numbers': {
    access: 'session',
    variants: (w) => [{ name: "victim's number, a token Meta does not know", body: { phoneNumberId: w.victim.phoneNumberIds[0], wabaId: w.victim.wabaId, accessToken: `EAAG${fresh()}bogus` } }],
    expect: { ...unsafe, otherTenant: [400, 401] },
  },

  'GET /api/integrations/whatsapp/embedded-signup/config': { access: 'session', ownTenantOnly: true, variants: noIds, expect: { ...private401, otherTenant: 200 } },
  'POST /api/integrations/whatsapp/embedded-signup': {
    access: 'session',
    variants: (w) => [
      {
        name: "victim's WABA and number, a used code",
        body: { code: `used-${fresh()}`, sessionInfo: { event: 'FINISH', wabaId: w.victim.wabaId, phoneNumberId: w.victim.phoneNumberIds[0] } },
      },
    ],
    expect: { ...unsafe, otherTenant: 400 },
  },
  'GET /api/integrations/whatsapp/oauth/start': { access: 'session', ownTenantOnly: true, variants: noIds, expect: { ...private401, otherTenant: 302 } },
  'POST /api/integrations/whatsapp/oauth': {
    access: 'session',
    variants: (w) => [{ name: "victim's OAuth state", body: { code: `code-${fresh()}`, state: w.victim.oauthState } }],
    expect: { ...unsafe, otherTenant: 400 },
  },
  'POST /api/integrations/whatsapp/oauth/ended': {
    access: 'session',
    variants: (w) => [{ name: "victim's OAuth state", body: { state: w.victim.oauthState, error: 'access_denied', errorReason: 'user_denied' } }],
    expect: { ...unsafe, otherTenant: 400 },
  },
  'GET /api/integrations/whatsapp/oauth/status': { access: 'session', ownTenantOnly: true, variants: noIds, expect: { ...private401, otherTenant: 200 } },
  'POST /api/integrations/whatsapp/import': {
    access: 'session',
    variants: () => [{ name: 'a token Meta does not know', body: { accessToken: `EAAG${fresh()}bogus` } }],
    expect: { ...unsafe, otherTenant: [400, 401] },
  },
  'GET /api/integrations/whatsapp/onboarding/:sessionId': {
    access: 'session',
    variants: (w) => [{ name: "victim's onboarding session", params: { sessionId: w.victim.sessionId } }],
    expect: { ...private401, otherTenant: 404 },
  },
  'POST /api/integrations/whatsapp/onboarding/:sessionId/confirm': {
    access: 'session',
    variants: (w) => [{ name: "victim's session and numbers", params: { sessionId: w.victim.sessionId }, body: { phoneNumberIds: w.victim.phoneNumberIds } }],
    expect: { ...unsafe, otherTenant: 404 },
  },
  'POST /api/integrations/whatsapp/disconnect': {
    access: 'session',
    variants: (w) => [
      { name: "victim's number", body: { phoneNumberId: w.victim.phoneNumberIds[0] } },
      { name: "victim's WABA", body: { wabaId: w.victim.wabaId } },
      // Both at once is refused before any lookup.
      { name: "victim's WABA and number", body: { wabaId: w.victim.wabaId, phoneNumberId: w.victim.phoneNumberIds[1] }, expect: { otherTenant: 400 } },
    ],
    expect: { ...unsafe, otherTenant: 404 },
  },

  'GET /api/webhooks/whatsapp': {
    access: 'signature',
    variants: () => [{ name: 'wrong verify token', query: 'hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1234' }],
    expect: { anonymous: 403, forgedSession: 403, otherTenant: 403 },
  },
  'POST /api/webhooks/whatsapp': {
    access: 'signature',
    variants: (w) => {
      const body = {
        object: 'whatsapp_business_account',
        entry: [{ id: w.victim.wabaId, changes: [{ field: 'account_update', value: { event: 'PARTNER_REMOVED', waba_info: { waba_id: w.victim.wabaId } } }] }],
      };
      return [
        { name: 'unsigned, disconnecting the victim', body },
        { name: 'forged signature', body, headers: { 'X-Hub-Signature-256': `sha256=${'0'.repeat(64)}` } },
      ];
    },
    expect: { anonymous: 401, forgedSession: 401, otherTenant: 401 },
  },
};

/** Bull Board is an Express sub-app (no Nest route): its paths are listed by hand. */
const QUEUE_DASHBOARD: Array<{ method: 'get' | 'put'; path: string; headers?: Record<string, string> }> = [
  { method: 'get', path: '/api/operator/queues' },
  { method: 'get', path: '/api/operator/queues/api/queues' },
  { method: 'put', path: '/api/operator/queues/api/queues/webhooks/retry/failed', headers: { Origin: 'http://localhost:3999' } },
];

function accessOf(route: AppRoute): Access {
  // The webhook receiver runs ahead of Nest (apps/api/src/webhooks/webhook-receiver.ts) and checks Meta's signature itself.
  if (route.handler === 'express:receiveWebhook') return 'signature';
  if (route.handler.startsWith('express:')) return route.method === 'ALL' ? 'middleware' : 'public';
  if (route.isPublic) return route.skipCsrf ? 'signature' : 'public';
  if (route.operatorOnly) return 'operator';
  if (route.roles) return route.roles.includes('admin') ? 'session' : 'owner';
  return 'session';
}

const isUnsafe = (method: string) => !['GET', 'HEAD', 'OPTIONS'].includes(method);

function casesFor(key: string, expectation: Expectation, world: SecurityWorld): Case[] {
  const method = key.split(' ')[0];
  const cases: Case[] = ['anonymous', 'forgedSession', 'otherTenant'];
  if (isUnsafe(method) && expectation.access !== 'signature') cases.push('missingCsrf');
  if (expectation.access === 'owner' || expectation.access === 'operator') {
    // The victim tenant's admin (not the owner, not an operator), invited by the owner.
    if (world.admin) cases.push('wrongRole');
  }
  return cases;
}

describe('tenant matrix over every route of the app', () => {
  let api: TestApp;
  let sandbox: Sandbox;
  let world: SecurityWorld;
  let routes: AppRoute[];
  let anonymous: RecordingBrowser;
  let forged: RecordingBrowser;

  useApiWithSandbox((running) => ({ api, sandbox } = running), {}, { resetEachTest: false });

  beforeAll(async () => {
    world = await buildSecurityWorld(api, sandbox);
    routes = listAppRoutes(api.app);
    anonymous = await new RecordingBrowser(api.server, world.recorder, 'anonymous').visit();
    forged = await new RecordingBrowser(api.server, world.recorder, 'forged session').visit();
    forged.cookies.set('waba_session', randomBytes(32).toString('base64url'));
  }, 60_000);

  it('has an expectation for every route of the app, and no expectation for a route that is gone', () => {
    const inApp = routes.map((r) => r.key).sort();
    const inTable = Object.keys(EXPECTATIONS).sort();
    expect({ missingFromTable: inApp.filter((k) => !inTable.includes(k)), noLongerInApp: inTable.filter((k) => !inApp.includes(k)) }).toEqual({ missingFromTable: [], noLongerInApp: [] });
    // The table's access level is what the guards read from the route's metadata.
    const mismatched = routes.filter((r) => EXPECTATIONS[r.key]?.access !== accessOf(r)).map((r) => `${r.key}: table ${EXPECTATIONS[r.key]?.access}, app ${accessOf(r)}`);
    expect(mismatched).toEqual([]);
    // Only one sub-app is mounted outside Nest (Bull Board), covered by QUEUE_DASHBOARD below.
    expect(expressMiddlewareNames(api.app).filter((n) => n === 'mounted_app')).toHaveLength(1);
  });

  it('never lets an attacker through, never answers 5xx, and leaves the victim as it was', async () => {
    const before = await victimSnapshot(world);
    const failures: string[] = [];
    let requests = 0;
    let cells = 0;
    const cookieHeader = (browser: RecordingBrowser) => [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

    for (const route of routes) {
      const expectation = EXPECTATIONS[route.key];
      if (!expectation || expectation.access === 'middleware') continue;
      const method = route.method.toLowerCase() as 'get' | 'post';
      for (const variant of expectation.variants(world)) {
        const path = fillPath(route.path, variant.params ?? {}) + (variant.query ? `?${variant.query}` : '');
        for (const kind of casesFor(route.key, expectation, world)) {
          cells++;
          const expected = [variant.expect?.[kind] ?? expectation.expect[kind] ?? []].flat();
          if (expected.length === 0) throw new Error(`${route.key}: no expectation for ${kind}`);
          if (expected.some((s) => s >= 200 && s < 300) && !expectation.ownTenantOnly && kind !== 'anonymous') {
            throw new Error(`${route.key}: the table lets ${kind} succeed on a route with tenant-owned ids`);
          }
          let response: request.Response;
          const label = `${kind}: ${route.method} ${path} (${variant.name})`;
          if (kind === 'missingCsrf') {
            // The victim's own cookies, as a cross-site form would send them, without the header.
            let call = request(api.server)[method](path).set('Cookie', cookieHeader(world.victim.browser));
            for (const [name, value] of Object.entries(variant.headers ?? {})) call = call.set(name, value);
            response = world.recorder.record(label, await (variant.body ? call.send(variant.body) : call));
          } else {
            const browser =
              kind === 'anonymous'
                ? anonymous
                : kind === 'forgedSession'
                  ? forged
                  : kind === 'wrongRole'
                    ? (world.admin?.browser as RecordingBrowser)
                    : expectation.consumesSession
                      ? await signIn(api.server, world.recorder, 'attacker (second session)', world.attacker.email, world.attacker.password)
                      : world.attacker.browser;
            response = await browser.send(method, path, variant.body, variant.headers);
          }
          requests++;
          if (!expected.includes(response.status)) failures.push(`${label}: expected ${expected.join('|')}, got ${response.status} ${response.text.slice(0, 200)}`);
          if (response.status >= 500) failures.push(`${label}: ${response.status}`);
          if (kind === 'otherTenant' && expectation.ownTenantOnly && response.status < 300) {
            // Its own data only: none of the victim's identifiers.
            const text = `${response.text}${JSON.stringify(response.headers)}`;
            const victimIds = [world.victim.accountId, world.victim.userId, world.victim.email, world.victim.wabaId, world.victim.sessionId, ...world.victim.phoneNumberIds];
            const seen = victimIds.filter((id) => text.includes(id));
            if (seen.length) failures.push(`${label}: the answer shows the victim's ${seen.join(', ')}`);
          }
        }
      }
      const after = await victimSnapshot(world);
      if (JSON.stringify(after) !== JSON.stringify(before)) failures.push(`${route.key}: the victim's data changed: ${JSON.stringify(after).slice(0, 300)}`);
    }

    // Bull Board: operators only, whoever else asks.
    for (const page of QUEUE_DASHBOARD) {
      for (const [kind, browser, status] of [
        ['anonymous', anonymous, 401],
        ['forgedSession', forged, 401],
        ['otherTenant', world.attacker.browser, 403],
        ['victim owner', world.victim.browser, 403],
        ...(world.admin ? [['wrongRole', world.admin.browser, 403] as const] : []),
      ] as const) {
        cells++;
        requests++;
        const response = await browser.send(page.method, page.path, page.method === 'put' ? {} : undefined, page.headers);
        if (response.status !== status) failures.push(`${kind}: ${page.method.toUpperCase()} ${page.path}: expected ${status}, got ${response.status}`);
      }
    }

    const tableRoutes = routes.filter((r) => EXPECTATIONS[r.key] && EXPECTATIONS[r.key].access !== 'middleware').length;
    console.log(`tenant matrix: ${tableRoutes} routes (+${QUEUE_DASHBOARD.length} queue dashboard paths) × up to 5 cases = ${cells} cells, ${requests} requests`);
    expect(failures).toEqual([]);
    expect(await victimSnapshot(world)).toEqual(before);
  }, 120_000);

  it('leaked no secret into any response, socket event or log line', () => {
    world.harvestSandbox();
    expect(world.secrets.size).toBeGreaterThan(10);
    expect(world.recorder.findLeaks(api.logs.lines)).toEqual([]);
  });
});
