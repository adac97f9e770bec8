import { appSecretProof, type WebhookPayload } from '@waba/meta-graph';
import { eventually, startWebhookReceiver, WebhookReceiver } from '@waba/testing';
import { APP_SECRET, businessToken, failure, Sandbox, startSandbox, wabaIdOf } from '@waba/testing/sandbox';

/** What the sandbox's template list answers, as far as these tests read it. */
interface TemplatesAnswer {
  data: Array<Record<string, unknown> & { id: string; name: string }>;
  summary?: { total_count: number };
  paging: { next?: string; cursors: { before: string; after: string } };
  error?: { code: number };
}

describe('message templates (list edge, control and webhooks)', () => {
  let sandbox: Sandbox;
  let receiver: WebhookReceiver;
  let token: string;
  let wabaId: string;

  beforeEach(async () => {
    receiver = await startWebhookReceiver();
    sandbox = await startSandbox({ webhookUrl: receiver.url });
    token = await businessToken(sandbox);
    wabaId = wabaIdOf(sandbox, 'Acme Bakery');
  });
  afterEach(async () => {
    await sandbox.close();
    await receiver.close();
  });

  const get = async (query: string) => {
    const response = await fetch(`${sandbox.baseUrl}/v25.0/${wabaId}/message_templates?${query}&appsecret_proof=${appSecretProof(token, APP_SECRET)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: (await response.json()) as TemplatesAnswer };
  };

  it('answers the default fields, without quality or rejection unless asked for', async () => {
    const { body } = await get('');
    expect(body['data'].length).toBe(7);
    expect(Object.keys(body['data'][0]).sort()).toEqual(['category', 'components', 'id', 'language', 'name', 'parameter_format', 'status']);
    const rejected = (await get('fields=name,status,rejected_reason,quality_score&status=REJECTED')).body['data'];
    expect(rejected).toEqual([{ name: 'flash_sale', status: 'REJECTED', rejected_reason: 'PROMOTIONAL', quality_score: { score: 'UNKNOWN', date: expect.any(Number) } }]);
  });

  it('filters by status, category, language and part of the name, and refuses an unknown status with 100', async () => {
    expect((await get('category=MARKETING')).body['data'].map((t: { name: string }) => t.name)).toEqual(['weekend_offer', 'flash_sale', 'loyalty_reminder']);
    expect((await get('language=es')).body['data']).toHaveLength(1);
    expect((await get('name=order')).body['data']).toHaveLength(2);
    expect((await get('status=PAUSED,REJECTED')).body['data']).toHaveLength(2);
    const refused = await get('status=LOST');
    expect(refused.status).toBe(400);
    expect(refused.body['error']).toMatchObject({ code: 100 });
  });

  it('pages with after and before cursors, and the typed client reads every page', async () => {
    await sandbox.control('POST', `/wabas/${wabaId}/templates`, { name: 'bulk', count: 130 });
    const first = await get('limit=100&summary=total_count');
    expect(first.body['data']).toHaveLength(100);
    expect(first.body['summary']).toEqual({ total_count: 137 });
    expect(first.body['paging'].next).toBeDefined();
    expect(first.body['paging'].next).not.toContain(token);
    const second = await get(`limit=100&after=${first.body['paging'].cursors.after}`);
    expect(second.body['data']).toHaveLength(37);
    expect(second.body['paging'].next).toBeUndefined();
    const back = await get(`limit=100&before=${second.body['paging'].cursors.before}`);
    expect(back.body['data'].map((t: { id: string }) => t.id)).toEqual(first.body['data'].map((t: { id: string }) => t.id));

    const all = await sandbox.client().listMessageTemplates(token, wabaId);
    expect(all.data).toHaveLength(137);
  });

  it('answers 100 for a token that cannot see the WABA', async () => {
    const other = await businessToken(sandbox, 'Northwind Clinics');
    const error = await failure(sandbox.client().listMessageTemplates(other, wabaId));
    expect(error).toMatchObject({ code: 100 });
  });

  describe('changes send WABA-level webhooks to the app callback', () => {
    const fieldsPosted = () => receiver.posts.map((post) => JSON.parse(post.rawBody.toString()) as WebhookPayload).filter((p) => p.entry[0].changes[0].field !== 'account_update');
    const templateId = async (name: string) => (await sandbox.control<Array<{ id: string; name: string }>>('GET', '/templates')).body.find((t) => t.name === name)?.id as string;

    beforeEach(async () => {
      await sandbox.client().subscribeApp(token, wabaId);
    });

    it('sends a status update naming the WABA in entry.id and no phone number, and the list shows the new status', async () => {
      const id = await templateId('weekend_offer');
      const result = await sandbox.control<{ deliveries: unknown[] }>('POST', `/templates/${id}/changes`, { status: 'REJECTED', reason: 'INVALID_FORMAT', time: 1767225600 });
      expect(result.status).toBe(200);
      await eventually(() => fieldsPosted().length === 1);
      const [payload] = fieldsPosted();
      expect(payload.entry[0]).toMatchObject({ id: wabaId, time: 1767225600 });
      expect(payload.entry[0].changes[0]).toMatchObject({
        field: 'message_template_status_update',
        value: { event: 'REJECTED', message_template_id: Number(id), message_template_name: 'weekend_offer', reason: 'INVALID_FORMAT', rejection_info: { recommendation: expect.any(String) } },
      });
      expect(JSON.stringify(payload)).not.toContain('phone_number_id');
      expect((await get('fields=status,rejected_reason&name=weekend')).body['data']).toEqual([{ status: 'REJECTED', rejected_reason: 'INVALID_FORMAT' }]);
    });

    it('sends quality, category and components updates, one delivery each', async () => {
      const id = await templateId('order_ready');
      await sandbox.control('POST', `/templates/${id}/changes`, { quality: 'RED', category: 'MARKETING', bodyText: 'New text {{1}}' });
      await eventually(() => fieldsPosted().length === 3);
      const values = Object.fromEntries(fieldsPosted().map((p) => [p.entry[0].changes[0].field, p.entry[0].changes[0].value]));
      expect(values['message_template_quality_update']).toMatchObject({ previous_quality_score: 'GREEN', new_quality_score: 'RED' });
      expect(values['template_category_update']).toMatchObject({ previous_category: 'UTILITY', new_category: 'MARKETING' });
      expect(values['message_template_components_update']).toMatchObject({
        message_template_element: 'New text {{1}}',
        message_template_title: 'Your order is ready',
        message_template_footer: 'Acme Bakery',
      });
    });

    it('sends nothing for a WABA our app is not subscribed to, and says why', async () => {
      await sandbox.client().unsubscribeApp(token, wabaId);
      const id = await templateId('order_ready');
      const result = await sandbox.control<{ skipped: Array<{ reason: string }> }>('POST', `/templates/${id}/changes`, { status: 'PAUSED' });
      expect(result.body.skipped[0].reason).toContain('not subscribed');
    });

    it('refuses a change that changes nothing', async () => {
      const id = await templateId('order_ready');
      expect((await sandbox.control('POST', `/templates/${id}/changes`, {})).status).toBe(400);
    });
  });
});
