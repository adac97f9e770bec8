// The sandbox's answers compared, shape for shape, with the example payloads and field lists of
// docs/meta.md §9 (values differ; keys, nesting and value types must not).
import { PHONE_NUMBER_FIELDS, WebhookPayload } from '@waba/meta-graph';
import { eventually, startWebhookReceiver, WebhookReceiver } from '@waba/testing';
import { businessToken, phoneIdOf, Sandbox, startSandbox, wabaIdOf } from '@waba/testing/sandbox';

const DEBUG_TOKEN_EXAMPLE = {
  data: {
    app_id: '111122223333444',
    type: 'USER',
    application: 'AcmeInbox',
    data_access_expires_at: 1790000000,
    expires_at: 0,
    is_valid: true,
    scopes: ['whatsapp_business_management', 'whatsapp_business_messaging', 'public_profile'],
    granular_scopes: [
      { scope: 'whatsapp_business_management', target_ids: ['400000000000001'] },
      { scope: 'whatsapp_business_messaging', target_ids: ['400000000000001'] },
    ],
    user_id: '500000000000009',
  },
};

const PHONE_NUMBERS_EXAMPLE = {
  data: [
    {
      id: '600000000000002',
      display_phone_number: '+1 555-010-0199',
      verified_name: 'Acme Bakery',
      quality_rating: 'GREEN',
      code_verification_status: 'VERIFIED',
      name_status: 'APPROVED',
      status: 'CONNECTED',
      platform_type: 'CLOUD_API',
      throughput: { level: 'STANDARD' },
      whatsapp_business_manager_messaging_limit: 'TIER_2K',
      is_on_biz_app: false,
      last_onboarded_time: '2026-09-02T09:30:00+0000',
    },
  ],
  paging: { cursors: { before: 'QVFIUabc', after: 'QVFIUxyz' } },
};

const MESSAGE_WEBHOOK_EXAMPLE = {
  object: 'whatsapp_business_account',
  entry: [
    {
      id: '400000000000001',
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550100199', phone_number_id: '600000000000002' },
            contacts: [{ profile: { name: 'Dana Lee' }, wa_id: '447700900123' }],
            messages: [
              {
                from: '447700900123',
                id: 'wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgSQUJDREVGMTIzNDU2Nzg5MAA=',
                timestamp: '1767225600',
                type: 'text',
                text: { body: 'Do you deliver on Sundays?' },
              },
            ],
          },
        },
      ],
    },
  ],
};

const FAILED_STATUS_WEBHOOK_EXAMPLE = {
  object: 'whatsapp_business_account',
  entry: [
    {
      id: '400000000000001',
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550100199', phone_number_id: '600000000000002' },
            statuses: [
              {
                id: 'wamid.HBgMNDQ3NzAwOTAwMTIzFQIAERgSOTk5ODg4Nzc3NjY2NTU1NDQA',
                status: 'failed',
                timestamp: '1767225700',
                recipient_id: '447700900123',
                errors: [
                  {
                    code: 131047,
                    title: 'Re-engagement message',
                    message: 'Re-engagement message',
                    error_data: { details: 'Message failed to send because more than 24 hours have passed.' },
                    href: '/documentation/business-messaging/whatsapp/support/error-codes',
                  },
                ],
              },
            ],
          },
        },
      ],
    },
  ],
};

const ACCOUNT_UPDATE_WEBHOOK_EXAMPLE = {
  object: 'whatsapp_business_account',
  entry: [
    {
      id: '400000000000001',
      time: 1767226000,
      changes: [
        {
          field: 'account_update',
          value: {
            event: 'PARTNER_APP_UNINSTALLED',
            waba_info: { waba_id: '400000000000001', owner_business_id: '700000000000003', partner_app_id: '111122223333444' },
          },
        },
      ],
    },
  ],
};

const GRAPH_ERROR_EXAMPLE = {
  error: {
    message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
    type: 'OAuthException',
    code: 131056,
    error_data: { messaging_product: 'whatsapp', details: 'Message failed to send because ...' },
    fbtrace_id: 'AbCdEf123456',
  },
};

const TOKEN_ERROR_EXAMPLE = {
  error: { message: 'Error validating access token: ...', type: 'OAuthException', code: 190, error_subcode: 463, fbtrace_id: '...' },
};

/** Keys, nesting and value types, without the values. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shapeOf(value[0])] : [];
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, shapeOf((value as Record<string, unknown>)[key])]),
    );
  }
  return typeof value;
}

describe('sandbox answers match the examples in docs/meta.md §9', () => {
  let sandbox: Sandbox;
  let receiver: WebhookReceiver;
  let token: string;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    sandbox = await startSandbox();
    await sandbox.control('PATCH', '/settings', { businessTokenExpiresInSeconds: null, requireAppSecretProof: false });
    token = await businessToken(sandbox);
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });

  const graph = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${sandbox.baseUrl}/v25.0/${path}`, { headers });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  const delivered = async (event: Record<string, unknown>): Promise<WebhookPayload> => {
    const before = receiver.posts.length;
    await sandbox.control('POST', '/webhooks', { events: [event], callbackUrl: receiver.url });
    await eventually(() => receiver.posts.length > before);
    return JSON.parse(receiver.posts[before].rawBody.toString()) as WebhookPayload;
  };

  it('§9.1 debug_token (plus the documented issued_at)', async () => {
    const appToken = encodeURIComponent('100000000000001|test-app-secret');
    const { body } = await graph(`debug_token?input_token=${token}&access_token=${appToken}`);
    const { issued_at, ...rest } = (body as { data: Record<string, unknown> }).data;
    expect(typeof issued_at).toBe('number');
    expect(shapeOf({ data: rest })).toEqual(shapeOf(DEBUG_TOKEN_EXAMPLE));
    expect(rest['expires_at']).toBe(0);
  });

  it('§9.2 GET /{waba}/phone_numbers with the documented field list', async () => {
    const fields = PHONE_NUMBERS_EXAMPLE.data[0];
    expect(Object.keys(fields).sort()).toEqual([...PHONE_NUMBER_FIELDS].sort());
    const { body } = await graph(`${wabaIdOf(sandbox, 'Acme Bakery')}/phone_numbers?fields=${PHONE_NUMBER_FIELDS.join(',')}&limit=1`, {
      authorization: `Bearer ${token}`,
    });
    const { next, ...paging } = body['paging'] as Record<string, unknown>;
    expect(typeof next).toBe('string'); // a second number follows
    expect(shapeOf({ ...body, paging })).toEqual(shapeOf(PHONE_NUMBERS_EXAMPLE));
  });

  it('§9.3 inbound message webhook', async () => {
    const payload = await delivered({ type: 'message', phoneNumberId: phoneIdOf(sandbox, '+1 555-010-0199') });
    expect(shapeOf(payload)).toEqual(shapeOf(MESSAGE_WEBHOOK_EXAMPLE));
    expect(payload.entry[0].id).toBe(wabaIdOf(sandbox, 'Acme Bakery'));
  });

  it('§9.4 failed status webhook', async () => {
    const payload = await delivered({ type: 'status', status: 'failed', phoneNumberId: phoneIdOf(sandbox, '+1 555-010-0199') });
    expect(shapeOf(payload)).toEqual(shapeOf(FAILED_STATUS_WEBHOOK_EXAMPLE));
  });

  it('§9.5 account_update PARTNER_APP_UNINSTALLED webhook', async () => {
    const wabaId = wabaIdOf(sandbox, 'Acme Bakery');
    const payload = await delivered({ type: 'account_update', wabaId, event: 'PARTNER_APP_UNINSTALLED' });
    expect(shapeOf(payload)).toEqual(shapeOf(ACCOUNT_UPDATE_WEBHOOK_EXAMPLE));
    expect(payload.entry[0].id).toBe(wabaId);
  });

  it('§9.6 Graph error envelope for a Cloud API error and for an expired token', async () => {
    await sandbox.control('POST', '/faults', { endpoint: 'GET /me', error: { code: 131056 } });
    const cloud = await graph('me', { authorization: `Bearer ${token}` });
    expect(cloud.status).toBe(400);
    expect(shapeOf(cloud.body)).toEqual(shapeOf(GRAPH_ERROR_EXAMPLE));

    const expiring = await sandbox.control<{ access_token: string }>('POST', '/tokens', {
      businessId: sandbox.world.app.partnerBusinessId,
      expiresInSeconds: 60,
    });
    sandbox.clock.advance(61_000);
    const expired = await graph('me', { authorization: `Bearer ${expiring.body.access_token}` });
    expect(expired.status).toBe(400);
    expect(shapeOf(expired.body)).toEqual(shapeOf(TOKEN_ERROR_EXAMPLE));
  });
});
