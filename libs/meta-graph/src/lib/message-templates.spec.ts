import { MetaGraphClient } from './meta-graph.client';
import { readWebhookEntries } from './webhook-payloads';

const config = { graphBaseUrl: 'https://graph.facebook.com', dialogBaseUrl: 'https://www.facebook.com', apiVersion: 'v25.0', appId: '111', appSecret: 'app-secret' };

describe('MetaGraphClient.listMessageTemplates', () => {
  it('follows the after cursor over every page, with the fields and filters it was given', async () => {
    const urls: URL[] = [];
    const pages = [
      { data: [{ id: '1', name: 'a' }], paging: { cursors: { after: 'c1' }, next: 'https://graph/next' } },
      { data: [{ id: '2', name: 'b' }], paging: { cursors: { after: 'c2' } } },
    ];
    const fetchStub: typeof fetch = async (input) => {
      urls.push(new URL(String(input)));
      return new Response(JSON.stringify(pages[urls.length - 1]), { status: 200 });
    };
    const client = new MetaGraphClient(config, { fetch: fetchStub });
    const list = await client.listMessageTemplates('EAAtoken', '4001', { status: 'REJECTED', category: '' });
    expect(list.data.map((t) => t.id)).toEqual(['1', '2']);
    expect(urls.map((u) => u.pathname)).toEqual(['/v25.0/4001/message_templates', '/v25.0/4001/message_templates']);
    expect(urls[0].searchParams.get('status')).toBe('REJECTED');
    expect(urls[0].searchParams.has('category')).toBe(false);
    expect(urls[0].searchParams.get('fields')).toContain('rejected_reason');
    expect(urls[1].searchParams.get('after')).toBe('c1');
  });
});

describe('reading template webhooks', () => {
  const read = (field: string, value: object) => readWebhookEntries({ entry: [{ id: 'waba-1', time: 1767225600, changes: [{ field, value } as never] }] })[0].changes[0];

  it('reads a status update, with the recommendation of an INVALID_FORMAT rejection', () => {
    expect(
      read('message_template_status_update', {
        event: 'REJECTED',
        message_template_id: 1234567890123,
        message_template_name: 'order_update',
        message_template_language: 'en_US',
        reason: 'INVALID_FORMAT',
        message_template_category: 'UTILITY',
        rejection_info: { reason: 'Variables at the start', recommendation: 'Move the variable away from the start' },
      }),
    ).toEqual({
      kind: 'template-status',
      templateId: '1234567890123',
      name: 'order_update',
      language: 'en_US',
      event: 'REJECTED',
      reason: 'INVALID_FORMAT',
      category: 'UTILITY',
      detail: 'Move the variable away from the start',
    });
  });

  it('reads quality, completed and impending category changes, and components', () => {
    expect(
      read('message_template_quality_update', { previous_quality_score: 'GREEN', new_quality_score: 'RED', message_template_id: 7, message_template_name: 'n', message_template_language: 'en' }),
    ).toMatchObject({
      kind: 'template-quality',
      templateId: '7',
      previousScore: 'GREEN',
      score: 'RED',
    });
    expect(read('template_category_update', { message_template_id: 7, previous_category: 'UTILITY', new_category: 'MARKETING' })).toMatchObject({
      kind: 'template-category',
      category: 'MARKETING',
      correctCategory: null,
    });
    expect(read('template_category_update', { message_template_id: 7, new_category: 'UTILITY', correct_category: 'MARKETING', category_update_timestamp: 1767312000 })).toMatchObject({
      kind: 'template-category',
      category: null,
      correctCategory: 'MARKETING',
      effectiveAt: 1767312000,
    });
    expect(
      read('message_template_components_update', {
        message_template_id: 7,
        message_template_element: 'Hello {{1}}',
        message_template_footer: 'Reply STOP',
        message_template_buttons: [{ message_template_button_type: 'URL', message_template_button_text: 'Track', message_template_button_url: 'https://x' }],
      }),
    ).toMatchObject({
      kind: 'template-components',
      components: [
        { type: 'BODY', text: 'Hello {{1}}' },
        { type: 'FOOTER', text: 'Reply STOP' },
        { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track', url: 'https://x' }] },
      ],
    });
  });

  it('leaves a field it does not know as other', () => {
    expect(read('security', {})).toEqual({ kind: 'other', field: 'security' });
  });
});
