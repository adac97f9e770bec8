import { idsNamedBy, parseWebhookBody, readWebhookEntries, type ReceivedWebhook } from './webhook-payloads';

describe('reading webhook deliveries', () => {
  it('parses only JSON objects', () => {
    expect(parseWebhookBody('{"object":"whatsapp_business_account"}')).toEqual({ object: 'whatsapp_business_account' });
    for (const body of ['[]', 'null', '"text"', '{not json', '']) expect(parseWebhookBody(body)).toBeNull();
  });

  it('reads the coexistence fields: history chunks (or the decline), app contacts and echoes', () => {
    const metadata = { phone_number_id: 'pn-1', display_phone_number: '447700900461' };
    const envelope: ReceivedWebhook = {
      entry: [
        {
          id: 'waba-1',
          changes: [
            {
              field: 'history',
              value: {
                metadata,
                history: [
                  {
                    metadata: { phase: 1, chunk_order: 2, progress: 70 },
                    threads: [
                      { id: '4477', messages: [{ id: 'wamid.1' }, { id: 'wamid.2' }] },
                      { id: '4488', messages: [{ id: 'wamid.3' }] },
                    ],
                  },
                  { errors: [{ code: 2593109, title: 'History sync is turned off by the business' }] },
                ],
              },
            },
            {
              field: 'smb_app_state_sync',
              value: {
                metadata,
                state_sync: [
                  { type: 'contact', contact: { full_name: 'Pablo Morales', phone_number: '16505551234' }, action: 'add' },
                  { type: 'contact', contact: { phone_number: '4499' }, action: 'remove' },
                  { type: 'contact' },
                ],
              },
            },
            {
              field: 'smb_message_echoes',
              value: { metadata, message_echoes: [{ id: 'wamid.9', from: '447700900461', to: '4477', timestamp: '1767225600', type: 'text', text: { body: 'On my way' } }, { to: '4477' }] },
            },
          ],
        },
      ],
    };
    const [history, contacts, echoes] = readWebhookEntries(envelope)[0].changes;
    expect(history).toEqual({
      kind: 'history',
      phoneNumberId: 'pn-1',
      chunks: [
        { phase: 1, chunkOrder: 2, progress: 70, threads: 2, messages: 3, declined: false, errors: [] },
        { phase: null, chunkOrder: null, progress: null, threads: 0, messages: 0, declined: true, errors: [{ code: 2593109, title: 'History sync is turned off by the business' }] },
      ],
    });
    expect(contacts).toEqual({
      kind: 'smb-app-state-sync',
      phoneNumberId: 'pn-1',
      contacts: [
        { phoneNumber: '16505551234', action: 'add', fullName: 'Pablo Morales' },
        { phoneNumber: '4499', action: 'remove', fullName: null },
      ],
    });
    expect(echoes).toEqual({ kind: 'smb-message-echoes', phoneNumberId: 'pn-1', echoes: [{ id: 'wamid.9', to: '4477', timestamp: 1767225600, type: 'text', text: 'On my way' }] });
    expect(idsNamedBy(envelope).phoneNumberIds).toEqual(['pn-1']);
  });

  it('reads messages, senders, reactions and statuses into our terms', () => {
    const [entry] = readWebhookEntries({
      entry: [
        {
          id: 'waba-1',
          changes: [
            {
              field: 'messages',
              value: {
                metadata: { phone_number_id: 'pn-1', display_phone_number: '15550100' },
                contacts: [{ wa_id: '4477', profile: { name: 'Dana' } }],
                messages: [
                  { id: 'wamid.1', from: '4477', timestamp: '1767225600', type: 'text', text: { body: 'Hi' } },
                  { id: 'wamid.2', from: '4488', timestamp: '1767225601', type: 'reaction', reaction: { message_id: 'wamid.0', emoji: '' } },
                  { from: '4499', type: 'text' },
                ],
                statuses: [{ id: 'wamid.9', status: 'failed', timestamp: '1767225700', recipient_id: '4477', errors: [{ code: 131026, title: 'Message undeliverable' }] }, { status: 'read' }],
              },
            },
          ],
        },
      ],
    });
    expect(entry).toEqual({
      id: 'waba-1',
      time: null,
      changes: [
        {
          kind: 'messages',
          phoneNumberId: 'pn-1',
          messages: [
            { id: 'wamid.1', from: '4477', senderName: 'Dana', timestamp: 1767225600, type: 'text', text: 'Hi', reactionEmoji: null },
            { id: 'wamid.2', from: '4488', senderName: null, timestamp: 1767225601, type: 'reaction', text: null, reactionEmoji: '' },
          ],
          statuses: [{ messageId: 'wamid.9', status: 'failed', timestamp: 1767225700, recipientId: '4477', errors: [{ code: 131026, title: 'Message undeliverable' }] }],
        },
      ],
    });
  });

  it('prefers the newer messaging-limit field and reads account and name updates', () => {
    const [entry] = readWebhookEntries({
      entry: [
        {
          id: 'waba-1',
          time: 1767225600,
          changes: [
            { field: 'phone_number_quality_update', value: { display_phone_number: '15550100', event: 'UPGRADE', current_limit: 'TIER_1K', max_daily_conversations_per_business: '10K' } },
            { field: 'account_update', value: { event: 'PARTNER_ADDED', waba_info: { waba_id: 'waba-2', owner_business_id: 'b-1' } } },
            { field: 'phone_number_name_update', value: { display_phone_number: '15550100', decision: 'DECLINED', requested_verified_name: 'Acme', rejection_reason: null } },
            { field: 'security', value: {} } as never,
          ],
        },
      ],
    });
    expect(entry.time).toBe(1767225600);
    expect(entry.changes).toEqual([
      { kind: 'quality-update', displayPhoneNumber: '15550100', event: 'UPGRADE', messagingLimit: '10K' },
      { kind: 'account-update', wabaId: 'waba-2', event: 'PARTNER_ADDED', disconnectionReason: null },
      { kind: 'name-update', displayPhoneNumber: '15550100', decision: 'DECLINED', requestedName: 'Acme', rejectionReason: null },
      { kind: 'other', field: 'security' },
    ]);
  });

  it('treats wrongly typed parts of hostile input as missing instead of throwing', () => {
    const hostile = {
      entry: [{ id: 42, changes: 'x' }, null, { id: 'waba-3', changes: [null, { field: 'messages', value: { metadata: { phone_number_id: ['pn'] }, messages: {}, statuses: [7] } }] }],
    } as unknown as ReceivedWebhook;
    expect(readWebhookEntries(hostile)).toEqual([
      { id: null, time: null, changes: [] },
      { id: null, time: null, changes: [] },
      {
        id: 'waba-3',
        time: null,
        changes: [
          { kind: 'other', field: null },
          { kind: 'messages', phoneNumberId: null, messages: [], statuses: [] },
        ],
      },
    ]);
    expect(readWebhookEntries({ entry: 'nope' } as unknown as ReceivedWebhook)).toEqual([]);
  });

  it('names the WABAs and numbers a delivery routes by', () => {
    const envelope: ReceivedWebhook = {
      entry: [
        { id: 'partner-business', changes: [{ field: 'account_update', value: { event: 'PARTNER_ADDED', waba_info: { waba_id: 'waba-2' } } }] },
        { id: 'waba-1', changes: [{ field: 'messages', value: { metadata: { phone_number_id: 'pn-1' } } }] },
      ],
    };
    expect(idsNamedBy(envelope)).toEqual({ wabaIds: ['partner-business', 'waba-2', 'waba-1'], phoneNumberIds: ['pn-1'] });
  });
});
