import type { HealthCheckKey } from '@waba/contracts';
import type { HealthStatus, PhoneNumberWithHealth } from '@waba/meta-graph';
import { APP_ID, PHONE_NUMBER_ID, WABA_ID } from '../testing/factories';
import { DAY } from '../testing/fake-clock';
import { evaluateNumberHealth, type HealthInputs } from './number-health-rules';

const NOW = new Date('2026-11-25T12:00:00Z');
const CALLBACK = 'https://waba.example/api/webhooks/whatsapp';

const available: HealthStatus = {
  can_send_message: 'AVAILABLE',
  entities: [
    { entity_type: 'PHONE_NUMBER', id: PHONE_NUMBER_ID, can_send_message: 'AVAILABLE' },
    { entity_type: 'WABA', id: WABA_ID, can_send_message: 'AVAILABLE' },
    { entity_type: 'BUSINESS', id: 'business-1', can_send_message: 'AVAILABLE' },
    { entity_type: 'APP', id: APP_ID, can_send_message: 'AVAILABLE' },
  ],
};

function fresh(overrides: Partial<PhoneNumberWithHealth> = {}): PhoneNumberWithHealth {
  return {
    id: PHONE_NUMBER_ID,
    display_phone_number: '+44 7700 900123',
    quality_rating: 'GREEN',
    name_status: 'APPROVED',
    status: 'CONNECTED',
    platform_type: 'CLOUD_API',
    throughput: { level: 'STANDARD' },
    whatsapp_business_manager_messaging_limit: 'TIER_1K',
    health_status: available,
    ...overrides,
  };
}

/** A healthy number: every check passes; each test changes one fact. */
function healthy(overrides: Partial<HealthInputs> = {}): HealthInputs {
  return {
    number: { phoneNumberId: PHONE_NUMBER_ID, displayPhone: '+44 7700 900123', registration: 'registered', hasStoredPin: true, connectedAt: new Date(NOW.getTime() - 30 * DAY) },
    fresh: fresh(),
    waba: { state: 'connected', restriction: null },
    subscribedApps: [{ whatsapp_business_api_data: { id: APP_ID, name: 'WABA Connect' } }],
    appSubscriptions: [
      {
        object: 'whatsapp_business_account',
        callback_url: CALLBACK,
        active: true,
        fields: ['messages', 'account_update', 'phone_number_quality_update', 'phone_number_name_update'].map((name) => ({ name })),
      },
    ],
    readFailure: null,
    connection: { status: 'active', expiresAt: null, dataAccessExpiresAt: new Date(NOW.getTime() + 60 * DAY) },
    lastWebhookAt: new Date(NOW.getTime() - 3600_000),
    appId: APP_ID,
    callbackUrl: CALLBACK,
    now: NOW,
    ...overrides,
  };
}

const failing = (input: HealthInputs) =>
  evaluateNumberHealth(input)
    .checks.filter((c) => c.outcome !== 'pass')
    .map((c) => [c.key, c.outcome, c.fix] as const);

describe('evaluateNumberHealth', () => {
  it('says "can send" when every check passes, with each check in words', () => {
    const result = evaluateNumberHealth(healthy());
    expect(result).toMatchObject({ verdict: 'can_send', verdictLabel: 'Can send', summary: 'Nothing stops this number from sending.' });
    expect(result.checks.map((c) => c.key).sort()).toEqual(
      (
        [
          'meta_health',
          'credential',
          'subscription',
          'callback',
          'webhook_fields',
          'last_webhook',
          'registration',
          'number_status',
          'quality',
          'messaging_limit',
          'throughput',
          'name_status',
        ] as HealthCheckKey[]
      ).sort(),
    );
    expect(result.checks.every((c) => c.outcome === 'pass' && c.summary.length > 5)).toBe(true);
  });

  it("cannot send when Meta's health_status blocks the number, with Meta's reason and solution in words and the code for support", () => {
    const blocked: HealthStatus = {
      can_send_message: 'BLOCKED',
      entities: [
        {
          entity_type: 'WABA',
          id: WABA_ID,
          can_send_message: 'BLOCKED',
          errors: [{ error_code: 141006, error_description: 'There is an error with the payment method.', possible_solution: 'Add a new payment method to the account.' }],
        },
      ],
    };
    const result = evaluateNumberHealth(healthy({ fresh: fresh({ health_status: blocked }) }));
    expect(result.verdict).toBe('cannot_send');
    expect(result.summary).toBe('Meta blocks messaging for its WhatsApp Business Account: There is an error with the payment method.');
    expect(result.checks[0]).toMatchObject({
      key: 'meta_health',
      outcome: 'blocks',
      whatToDo: 'Add a new payment method to the account.',
      fix: null,
      details: `WABA ${WABA_ID}: BLOCKED, error 141006`,
    });
    expect(failing(healthy({ fresh: fresh({ health_status: blocked }) }))).toEqual([['meta_health', 'blocks', null]]);
  });

  it('is limited when health_status says LIMITED, quoting additional_info', () => {
    const limited: HealthStatus = {
      can_send_message: 'LIMITED',
      entities: [{ entity_type: 'PHONE_NUMBER', id: PHONE_NUMBER_ID, can_send_message: 'LIMITED', additional_info: ['Messaging limit reached'] }],
    };
    const result = evaluateNumberHealth(healthy({ fresh: fresh({ health_status: limited }) }));
    expect(result.verdict).toBe('limited');
    expect(result.summary).toBe('Meta limits messaging for this number: Messaging limit reached.');
  });

  it('sends "our app is blocked" to support rather than to the tenant', () => {
    const app: HealthStatus = {
      can_send_message: 'BLOCKED',
      entities: [{ entity_type: 'APP', id: APP_ID, can_send_message: 'BLOCKED', errors: [{ error_code: 1, error_description: 'App restricted', possible_solution: 'x' }] }],
    };
    expect(evaluateNumberHealth(healthy({ fresh: fresh({ health_status: app }) })).checks[0].whatToDo).toContain('contact WABA Connect support');
  });

  it.each([
    ['a credential Meta rejected', { connection: { status: 'needs_reauth', expiresAt: null, dataAccessExpiresAt: null } }],
    ['an expired credential', { connection: { status: 'active', expiresAt: new Date(NOW.getTime() - 1000), dataAccessExpiresAt: null } }],
    ['lost data access', { connection: { status: 'active', expiresAt: null, dataAccessExpiresAt: new Date(NOW.getTime() - 1000) } }],
    ['no stored credential', { connection: null }],
  ] as Array<[string, Partial<HealthInputs>]>)('cannot send with %s, and offers Reconnect', (_name, change) => {
    expect(failing(healthy(change))).toEqual([['credential', 'blocks', 'reconnect']]);
    expect(evaluateNumberHealth(healthy(change)).verdict).toBe('cannot_send');
  });

  it('cannot send when Meta refused the credential on the read, and other checks say they were not checked', () => {
    const result = evaluateNumberHealth(healthy({ fresh: null, subscribedApps: null, readFailure: { credential: true, words: 'Meta no longer accepts the credential.' } }));
    expect(result.verdict).toBe('cannot_send');
    expect(result.checks[0]).toMatchObject({ key: 'credential', fix: 'reconnect' });
    expect(result.checks.find((c) => c.key === 'quality')).toMatchObject({ outcome: 'unknown', summary: 'Not checked: Meta no longer accepts the credential.' });
  });

  it('warns, without changing the verdict, when the credential expires or loses data access within a week', () => {
    const expiring = healthy({ connection: { status: 'active', expiresAt: new Date(NOW.getTime() + 3 * DAY), dataAccessExpiresAt: null } });
    expect(evaluateNumberHealth(expiring).verdict).toBe('can_send');
    expect(failing(expiring)).toEqual([['credential', 'warn', 'reconnect']]);
    expect(evaluateNumberHealth(expiring).checks[0].summary).toBe('The credential expires in 3 days.');
    const losing = healthy({ connection: { status: 'active', expiresAt: null, dataAccessExpiresAt: new Date(NOW.getTime() + 2 * DAY) } });
    expect(evaluateNumberHealth(losing).checks[0].summary).toBe('The credential loses access to the account data in 2 days.');
  });

  it('is limited when our app is not among the WABA subscribers (another app is), and offers Subscribe again', () => {
    const result = healthy({ subscribedApps: [{ whatsapp_business_api_data: { id: 'other-app', name: 'Other' } }] });
    expect(failing(result)).toEqual([
      ['subscription', 'limits', 'resubscribe'],
      ['callback', 'unknown', null],
    ]);
    expect(evaluateNumberHealth(result).verdict).toBe('limited');
  });

  it('is limited when our subscription overrides the callback to another address, and offers Subscribe again', () => {
    const result = healthy({ subscribedApps: [{ whatsapp_business_api_data: { id: APP_ID, name: 'WABA Connect' }, override_callback_uri: 'https://elsewhere.example/hook' }] });
    expect(failing(result)).toEqual([['callback', 'limits', 'resubscribe']]);
    expect(evaluateNumberHealth(healthy({ subscribedApps: [{ whatsapp_business_api_data: { id: APP_ID, name: 'x' }, override_callback_uri: CALLBACK }] })).verdict).toBe('can_send');
  });

  it("is limited when our app's own webhook subscription is missing, or lacks a field we need, and sends the tenant to support", () => {
    expect(failing(healthy({ appSubscriptions: [] }))).toEqual([['webhook_fields', 'limits', null]]);
    const noQuality = healthy({
      appSubscriptions: [{ object: 'whatsapp_business_account', active: true, fields: [{ name: 'messages' }, { name: 'account_update' }, { name: 'phone_number_name_update' }] }],
    });
    expect(failing(noQuality)).toEqual([['webhook_fields', 'limits', null]]);
    expect(evaluateNumberHealth(noQuality).checks[0]).toMatchObject({ details: 'missing fields: phone_number_quality_update', whatToDo: expect.stringContaining('contact WABA Connect support') });
    expect(failing(healthy({ appSubscriptions: null }))).toEqual([['webhook_fields', 'unknown', null]]);
  });

  it('warns when no webhook arrived for a week, or ever for a number connected over a day ago', () => {
    expect(failing(healthy({ lastWebhookAt: new Date(NOW.getTime() - 9 * DAY) }))).toEqual([['last_webhook', 'warn', 'resubscribe']]);
    expect(evaluateNumberHealth(healthy({ lastWebhookAt: new Date(NOW.getTime() - 9 * DAY) })).checks[0].summary).toBe('No webhook has arrived for this account for 9 days.');
    expect(failing(healthy({ lastWebhookAt: null }))).toEqual([['last_webhook', 'warn', 'resubscribe']]);
    const justConnected = healthy({ lastWebhookAt: null, number: { ...healthy().number, connectedAt: new Date(NOW.getTime() - 3600_000) } });
    expect(failing(justConnected)).toEqual([]);
  });

  it('cannot send when the number is not on the Cloud API, and offers Register again only with a stored PIN', () => {
    const unregistered = (hasStoredPin: boolean) =>
      healthy({ fresh: fresh({ platform_type: 'NOT_APPLICABLE', throughput: { level: 'NOT_APPLICABLE' } }), number: { ...healthy().number, hasStoredPin } });
    expect(failing(unregistered(true))).toEqual([
      ['registration', 'blocks', 're_register'],
      ['throughput', 'warn', null],
    ]);
    expect(failing(unregistered(false))[0]).toEqual(['registration', 'blocks', null]);
    expect(failing(healthy({ number: { ...healthy().number, registration: 'failed' } }))).toEqual([['registration', 'blocks', 're_register']]);
  });

  it.each([
    ['BANNED', 'blocks'],
    ['DELETED', 'blocks'],
    ['RESTRICTED', 'limits'],
    ['FLAGGED', 'limits'],
    ['PENDING', 'warn'],
  ] as const)("reads Meta's number status %s as %s", (status, outcome) => {
    expect(failing(healthy({ fresh: fresh({ status }) }))).toEqual([['number_status', outcome, null]]);
  });

  it("is limited by Meta's restriction of the account (account_update)", () => {
    expect(failing(healthy({ waba: { state: 'connected', restriction: { explanation: 'Meta restricted this account.' } } }))).toEqual([['number_status', 'limits', null]]);
  });

  it('cannot send when the business removed our access, and offers Reconnect', () => {
    expect(failing(healthy({ waba: { state: 'revoked', restriction: null } }))).toEqual([['credential', 'blocks', 'reconnect']]);
  });

  it('reads quality RED as limited and YELLOW as a warning', () => {
    expect(failing(healthy({ fresh: fresh({ quality_rating: 'RED' }) }))).toEqual([['quality', 'limits', null]]);
    expect(failing(healthy({ fresh: fresh({ quality_rating: 'YELLOW' }) }))).toEqual([['quality', 'warn', null]]);
  });

  it('warns of a 50-a-day or unset messaging limit, and words the rest', () => {
    expect(failing(healthy({ fresh: fresh({ whatsapp_business_manager_messaging_limit: 'TIER_50' }) }))).toEqual([['messaging_limit', 'warn', null]]);
    expect(failing(healthy({ fresh: fresh({ whatsapp_business_manager_messaging_limit: 'TIER_NOT_SET' }) }))).toEqual([['messaging_limit', 'warn', null]]);
    const tier = evaluateNumberHealth(healthy({ fresh: fresh({ whatsapp_business_manager_messaging_limit: 'TIER_10K' }) })).checks.find((c) => c.key === 'messaging_limit');
    expect(tier?.summary).toBe('Up to 10,000 customers a day can be messaged first.');
  });

  it('is limited by a rejected or expired display name and warns of one in review', () => {
    expect(failing(healthy({ fresh: fresh({ name_status: 'DECLINED' }) }))).toEqual([['name_status', 'limits', null]]);
    expect(failing(healthy({ fresh: fresh({ name_status: 'EXPIRED' }) }))).toEqual([['name_status', 'limits', null]]);
    expect(failing(healthy({ fresh: fresh({ name_status: 'PENDING_REVIEW' }) }))).toEqual([['name_status', 'warn', null]]);
  });

  it('lists failing checks worst first: blocks, limits, warnings, then the rest', () => {
    const result = evaluateNumberHealth(healthy({ fresh: fresh({ quality_rating: 'YELLOW', name_status: 'DECLINED', status: 'BANNED' }) }));
    expect(result.checks.slice(0, 3).map((c) => c.outcome)).toEqual(['blocks', 'limits', 'warn']);
    expect(result.summary).toBe('Meta banned this number.');
  });

  it('keeps the verdict from our own facts when Meta could not be reached (timeouts are not a reason to say "cannot send")', () => {
    const result = evaluateNumberHealth(healthy({ fresh: null, subscribedApps: null, readFailure: { credential: false, words: 'Meta did not answer in time.' } }));
    expect(result.verdict).toBe('can_send');
    expect(result.checks.filter((c) => c.outcome === 'unknown').length).toBeGreaterThan(5);
  });
});
