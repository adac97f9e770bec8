import type { MockProxy } from 'jest-mock-extended';
import { parseWebhookBody, type WebhookChange, type WebhookPayload } from '@waba/meta-graph';
import type { PhoneNumbersService, TenantNumbers } from '../phone-numbers/phone-numbers.service';
import { tenantNumbersOf } from '../testing/doubles';
import { DomainEvents } from '../common/events/domain-events';
import type { TemplatesService } from '../templates/templates.service';
import {
  ACCOUNT_ID,
  aTemplateStatusChange,
  aMessagesChange,
  aMessageStatus,
  anInboundMessage,
  aPhoneNumberRecord,
  aWebhookPayload,
  CONNECTION_ID,
  OTHER_ACCOUNT_ID,
  PHONE_NUMBER_ID,
  WABA_ID,
} from '../testing/factories';
import { FakeClock } from '../testing/fake-clock';
import { strictMock } from '../testing/strict-mock';
import type { CoexistenceService } from '../coexistence/coexistence.service';
import { WebhookApplier, type DeliveryPlan } from './webhook-applier.service';
import type { EventsService } from './events.service';
import type { NewTenantEvent } from './webhooks.repository';

const DELIVERY = 'body-sha';
const CLIENT_WABA = '1000000000000009';

describe('WebhookApplier', () => {
  let clock: FakeClock;
  let events: MockProxy<EventsService>;
  let numbers: MockProxy<TenantNumbers>;
  let phoneNumbers: MockProxy<PhoneNumbersService>;
  let coexistence: MockProxy<CoexistenceService>;
  let templates: MockProxy<TemplatesService>;
  let applier: WebhookApplier;

  beforeEach(() => {
    clock = new FakeClock('2026-11-25T12:00:00Z');
    events = strictMock<EventsService>('events');
    phoneNumbers = strictMock<PhoneNumbersService>('phoneNumbers');
    numbers = tenantNumbersOf(phoneNumbers);
    coexistence = strictMock<CoexistenceService>('coexistence');
    templates = strictMock<TemplatesService>('templates');
    applier = new WebhookApplier(events, phoneNumbers, clock, new DomainEvents(), coexistence, templates);
  });

  /** Owners as the database knows them: the number and WABA of ACCOUNT_ID, nothing else. */
  function givenOwners(owned: { numbers?: string[]; wabas?: string[] } = { numbers: [PHONE_NUMBER_ID], wabas: [WABA_ID] }): void {
    phoneNumbers.connectedOwnerOfNumber.mockImplementation(async (id) => (owned.numbers?.includes(id) ? { accountId: ACCOUNT_ID, wabaId: WABA_ID } : null));
    phoneNumbers.ownerOfWaba.mockImplementation(async (id) => (owned.wabas?.includes(id) ? { accountId: ACCOUNT_ID, connectionId: CONNECTION_ID } : null));
  }

  /** Plans the delivery as it arrives: the raw JSON parsed the way the application parses it. */
  function plan(payload: WebhookPayload, routes = applier.routes()): Promise<DeliveryPlan> {
    const envelope = parseWebhookBody(JSON.stringify(payload));
    if (!envelope) throw new Error('not an envelope');
    return applier.plan(envelope, DELIVERY, routes);
  }

  const eventsOf = (planned: DeliveryPlan): NewTenantEvent[] => planned.events.map((e) => e.event);

  describe('WhatsApp Business app numbers (coexistence)', () => {
    const metadata = { display_phone_number: '447700900123', phone_number_id: PHONE_NUMBER_ID };

    it('applies history chunks and app contacts to the number, and makes each echo a tenant event keyed by its message id', async () => {
      givenOwners();
      const payload = aWebhookPayload([
        { field: 'history', value: { messaging_product: 'whatsapp', metadata, history: [{ metadata: { phase: 2, chunk_order: 3, progress: 100 }, threads: [] }] } },
        {
          field: 'smb_app_state_sync',
          value: { messaging_product: 'whatsapp', metadata, state_sync: [{ type: 'contact', contact: { phone_number: '4477' }, action: 'add', metadata: { timestamp: '1764072000' } }] },
        },
        {
          field: 'smb_message_echoes',
          value: {
            messaging_product: 'whatsapp',
            metadata,
            message_echoes: [{ from: '447700900123', to: '4477', id: 'wamid.echo-1', timestamp: '1764072000', type: 'text', text: { body: 'On my way' } }],
          },
        },
      ] as WebhookChange[]);

      const planned = await plan(payload);
      expect(planned.unroutableIds).toEqual([]);
      expect(planned.actions.map((a) => (a.kind === 'coexistence' ? a.change.kind : a.kind))).toEqual(['history', 'smb-app-state-sync', 'smb-message-echoes']);
      expect(eventsOf(planned)).toEqual([
        expect.objectContaining({
          key: 'echo:wamid.echo-1',
          type: 'message.sent_from_app',
          title: 'Sent from the WhatsApp Business app to +4477',
          detail: 'On my way',
          phoneNumberId: PHONE_NUMBER_ID,
        }),
      ]);

      coexistence.applyHistory.mockResolvedValue();
      coexistence.applyContacts.mockResolvedValue();
      coexistence.applyEchoes.mockResolvedValue();
      events.record.mockResolvedValue();
      await applier.execute([planned]);
      expect(coexistence.applyHistory).toHaveBeenCalledWith(ACCOUNT_ID, PHONE_NUMBER_ID, [expect.objectContaining({ phase: 2, progress: 100 })]);
      expect(coexistence.applyContacts).toHaveBeenCalledWith(ACCOUNT_ID, PHONE_NUMBER_ID, [{ phoneNumber: '4477', action: 'add', fullName: null }]);
      expect(coexistence.applyEchoes).toHaveBeenCalledWith(ACCOUNT_ID, PHONE_NUMBER_ID, [expect.objectContaining({ id: 'wamid.echo-1' })]);
    });

    it('keeps a history webhook for a number nobody owns as unroutable', async () => {
      givenOwners({ numbers: [], wabas: [] });
      const planned = await plan(aWebhookPayload([{ field: 'history', value: { messaging_product: 'whatsapp', metadata, history: [] } }]));
      expect(planned.unroutableIds).toEqual([PHONE_NUMBER_ID, WABA_ID]);
      expect(planned.actions).toEqual([]);
    });
  });

  describe('messages', () => {
    it('routes a received message by its number, titled with the sender and keyed by message id', async () => {
      givenOwners();
      const payload = aWebhookPayload([aMessagesChange({ contacts: [{ wa_id: '447700900999', profile: { name: 'Sam' } }], messages: [anInboundMessage()] })]);

      const planned = await plan(payload);

      expect(planned).toEqual({
        unroutableIds: [],
        actions: [],
        events: [
          {
            accountId: ACCOUNT_ID,
            event: {
              key: 'message:wamid.in-1',
              type: 'message.received',
              title: 'Message from Sam (+447700900999)',
              detail: 'Hello',
              phoneNumberId: PHONE_NUMBER_ID,
              wabaId: WABA_ID,
              occurredAt: new Date(1764072000 * 1000),
              receivedAt: clock.now(),
              messageId: 'wamid.in-1',
            },
          },
        ],
      });
    });

    it('falls back to the WABA of the entry when the number is not (yet) known', async () => {
      givenOwners({ wabas: [WABA_ID] });
      const planned = await plan(aWebhookPayload([aMessagesChange({ messages: [anInboundMessage()] })]));
      expect(planned.events.map((e) => e.accountId)).toEqual([ACCOUNT_ID]);
      expect(planned.unroutableIds).toEqual([]);
    });

    it('keeps a delivery nobody owns as unroutable, naming the number and the WABA', async () => {
      givenOwners({});
      const planned = await plan(aWebhookPayload([aMessagesChange({ messages: [anInboundMessage()] })]));
      expect(planned).toEqual({ unroutableIds: [PHONE_NUMBER_ID, WABA_ID], events: [], actions: [] });
    });

    it('uses the clock when a message has no usable timestamp, and words reactions and other kinds', async () => {
      givenOwners();
      const reaction = { ...anInboundMessage({ id: 'wamid.r', timestamp: 'soon' }), type: 'reaction', reaction: { emoji: '👍' } };
      const removed = { ...anInboundMessage({ id: 'wamid.r2' }), type: 'reaction', reaction: { emoji: '' } };
      const image = { ...anInboundMessage({ id: 'wamid.i' }), type: 'image' };
      const planned = await plan(aWebhookPayload([aMessagesChange({ messages: [reaction, removed, image] as never })]));

      expect(eventsOf(planned).map((e) => e.detail)).toEqual(['Reacted 👍', 'Removed a reaction', '[image]']);
      expect(eventsOf(planned)[0].occurredAt).toEqual(clock.now());
      expect(eventsOf(planned)[0].title).toBe('Message from +447700900999');
    });

    it("gathers a change's statuses into one keyed event, ignoring unknown ones", async () => {
      givenOwners();
      const statuses = [aMessageStatus({ id: 'a', status: 'delivered' }), aMessageStatus({ id: 'b', status: 'read' }), { ...aMessageStatus({ id: 'c' }), status: 'deleted' }];
      const planned = await plan(aWebhookPayload([aMessagesChange({ statuses: statuses as never })]));

      expect(eventsOf(planned)).toEqual([
        expect.objectContaining({
          key: `statuses:${DELIVERY}:0:0`,
          type: 'message.status',
          title: '2 delivery updates: 1 delivered, 1 read',
          detail: null,
          statuses: [
            { messageId: 'a', status: 'delivered' },
            { messageId: 'b', status: 'read' },
          ],
        }),
      ]);
    });

    it('says what failed, and how many did', async () => {
      givenOwners();
      const failed = (id: string) => aMessageStatus({ id, status: 'failed', errors: [{ code: 131026, title: 'Message undeliverable' }] });
      const one = await plan(aWebhookPayload([aMessagesChange({ statuses: [failed('a')] })]));
      const two = await plan(aWebhookPayload([aMessagesChange({ statuses: [failed('a'), failed('b')] })]));

      expect(eventsOf(one)[0]).toMatchObject({ title: 'Message to +447700900999 failed', detail: 'Message undeliverable (131026)' });
      expect(eventsOf(two)[0].detail).toBe('2 failed, first: Message undeliverable (131026)');
    });
  });

  describe('account updates', () => {
    const accountUpdate = (value: object): WebhookChange => ({ field: 'account_update', value }) as WebhookChange;

    it('revokes the client WABA named in waba_info when the business removes our app', async () => {
      givenOwners({ wabas: [CLIENT_WABA] });
      const payload = aWebhookPayload([accountUpdate({ event: 'PARTNER_APP_UNINSTALLED', waba_info: { waba_id: CLIENT_WABA }, disconnection_info: { reason: 'USER_ACTION' } })], {
        id: 'partner-business',
        time: 1764072000,
      });

      const planned = await plan(payload);

      expect(planned.actions).toEqual([{ kind: 'revoke-waba', accountId: ACCOUNT_ID, wabaId: CLIENT_WABA, reason: 'WABA Connect app removed (user action)' }]);
      expect(eventsOf(planned)).toEqual([
        expect.objectContaining({ key: `account:${DELIVERY}:0:0`, type: 'account.update', title: 'WABA Connect app removed', wabaId: CLIENT_WABA, occurredAt: new Date(1764072000 * 1000) }),
      ]);
    });

    it('records a restriction on the WABA, dated by the entry', async () => {
      givenOwners();
      const planned = await plan(aWebhookPayload([accountUpdate({ event: 'ACCOUNT_RESTRICTION' })], { time: 1764072000 }));
      expect(planned.actions).toEqual([
        {
          kind: 'restrict-waba',
          accountId: ACCOUNT_ID,
          wabaId: WABA_ID,
          restriction: { event: 'ACCOUNT_RESTRICTION', explanation: expect.stringContaining('Meta restricted this account'), at: new Date(1764072000 * 1000) },
        },
      ]);
    });

    it('only tells the tenant about an update that neither revokes nor restricts', async () => {
      givenOwners();
      const planned = await plan(aWebhookPayload([accountUpdate({ event: 'PARTNER_ADDED' })]));
      expect(planned.actions).toEqual([]);
      expect(eventsOf(planned)).toEqual([expect.objectContaining({ title: 'Account shared with WABA Connect', occurredAt: clock.now() })]);
    });

    it('keeps an update for a WABA nobody owns as unroutable', async () => {
      givenOwners({});
      await expect(plan(aWebhookPayload([accountUpdate({ event: 'PARTNER_REMOVED', waba_info: { waba_id: CLIENT_WABA } })]))).resolves.toEqual({
        unroutableIds: [CLIENT_WABA],
        events: [],
        actions: [],
      });
    });
  });

  describe('number updates (routed by WABA and display number)', () => {
    beforeEach(() => {
      givenOwners();
      numbers.numberByDisplay.calledWith(WABA_ID, '+44 7700 900123').mockResolvedValue(aPhoneNumberRecord());
    });

    it('plans a flagged number as red and FLAGGED with its new limit, in words', async () => {
      const change = { field: 'phone_number_quality_update', value: { display_phone_number: '+44 7700 900123', event: 'FLAGGED', current_limit: 'TIER_250' } } as const;
      const planned = await plan(aWebhookPayload([change]));

      expect(planned.actions).toEqual([
        { kind: 'number-change', accountId: ACCOUNT_ID, phoneNumberId: PHONE_NUMBER_ID, change: { messagingLimit: 'TIER_250', qualityRating: 'RED', metaStatus: 'FLAGGED' } },
      ]);
      expect(eventsOf(planned)[0]).toMatchObject({
        key: `quality:${DELIVERY}:0:0`,
        type: 'phone_number.quality',
        title: '+44 7700 900123: flagged for low quality',
        detail: expect.stringContaining('Messaging limit now: 250 customers a day.'),
      });
    });

    it('sets the approved display name, and only the decision when it was declined', async () => {
      const nameUpdate = (decision: string): WebhookChange =>
        ({ field: 'phone_number_name_update', value: { display_phone_number: '+44 7700 900123', decision, requested_verified_name: 'Acme Help' } }) as WebhookChange;
      const approved = await plan(aWebhookPayload([nameUpdate('APPROVED')]));
      const declined = await plan(aWebhookPayload([nameUpdate('DECLINED')]));

      expect(approved.actions[0]).toMatchObject({ change: { nameStatus: 'APPROVED', verifiedName: 'Acme Help' } });
      expect(declined.actions[0]).toMatchObject({ change: { nameStatus: 'DECLINED' } });
      expect(declined.actions[0]).not.toHaveProperty('change.verifiedName');
      expect(eventsOf(approved)[0].title).toBe('Display name Acme Help approved');
    });

    it("reads Meta's REJECTED as a declined name, says why in words, and hands the decision to the tracked change", async () => {
      const change = {
        field: 'phone_number_name_update',
        value: { display_phone_number: '+44 7700 900123', decision: 'REJECTED', requested_verified_name: 'Acme Help', rejection_reason: 'NAME_FORMAT_UNACCEPTABLE' },
      } as WebhookChange;
      const rejected = await plan(aWebhookPayload([change]));
      expect(rejected.actions[0]).toMatchObject({ change: { nameStatus: 'DECLINED' } });
      expect(rejected.actions[1]).toMatchObject({ kind: 'name-decision', accountId: ACCOUNT_ID, phoneNumberId: PHONE_NUMBER_ID, decision: 'REJECTED', rejectionReason: 'NAME_FORMAT_UNACCEPTABLE' });
      expect(eventsOf(rejected)[0]).toMatchObject({ title: 'Display name Acme Help rejected', detail: expect.stringContaining("breaks Meta's display name guidelines") });
    });

    it('keeps an update for a display number the WABA does not have as unroutable', async () => {
      numbers.numberByDisplay.calledWith(WABA_ID, '+44 7700 900000').mockResolvedValue(null);
      const change = { field: 'phone_number_quality_update', value: { display_phone_number: '+44 7700 900000', event: 'UPGRADE' } } as const;
      await expect(plan(aWebhookPayload([change]))).resolves.toEqual({ unroutableIds: [WABA_ID], events: [], actions: [] });
    });
  });

  it('acknowledges fields we do not subscribe to without planning anything', async () => {
    const planned = await plan(aWebhookPayload([{ field: 'security', value: {} } as unknown as WebhookChange]));
    expect(planned).toEqual({ unroutableIds: [], events: [], actions: [] });
  });

  it('reads each owner once per batch, and names an unroutable id once per delivery', async () => {
    givenOwners({});
    const routes = applier.routes();
    const change = aMessagesChange({ messages: [anInboundMessage()] });

    const first = await plan(aWebhookPayload([change, change]), routes);
    await plan(aWebhookPayload([change]), routes);

    expect(first.unroutableIds).toEqual([PHONE_NUMBER_ID, WABA_ID]);
    expect(phoneNumbers.connectedOwnerOfNumber).toHaveBeenCalledTimes(1);
    expect(phoneNumbers.ownerOfWaba).toHaveBeenCalledTimes(1);
  });

  describe('template updates (routed by the WABA alone)', () => {
    it('plans a template change for the WABA owner, dated by the entry, with no number', async () => {
      givenOwners({ wabas: [WABA_ID] });
      const planned = await plan(aWebhookPayload([aTemplateStatusChange({ event: 'PAUSED' })], { time: 1764072000 }));
      expect(planned.unroutableIds).toEqual([]);
      expect(planned.events).toEqual([]);
      expect(planned.actions).toEqual([
        {
          kind: 'template-change',
          webhook: {
            accountId: ACCOUNT_ID,
            wabaId: WABA_ID,
            occurredAt: new Date(1764072000 * 1000),
            change: expect.objectContaining({ kind: 'template-status', event: 'PAUSED', templateId: '880000000000001' }),
          },
        },
      ]);
    });

    it('keeps a template change for a WABA nobody owns as unroutable', async () => {
      givenOwners({ wabas: [] });
      const planned = await plan(aWebhookPayload([aTemplateStatusChange()]));
      expect(planned.unroutableIds).toEqual([WABA_ID]);
      expect(planned.actions).toEqual([]);
    });

    it('records the events the templates module gives back for applied changes, with the batch', async () => {
      const templateEvent: NewTenantEvent = {
        key: 't',
        type: 'template.status',
        title: 'Template paused',
        detail: null,
        phoneNumberId: null,
        wabaId: WABA_ID,
        occurredAt: clock.now(),
        receivedAt: clock.now(),
        messageId: null,
      };
      templates.applyWebhook.mockResolvedValue([{ accountId: ACCOUNT_ID, event: templateEvent }]);
      events.record.mockResolvedValue();
      const webhook = {
        accountId: ACCOUNT_ID,
        wabaId: WABA_ID,
        occurredAt: clock.now(),
        change: { kind: 'template-quality' as const, templateId: '1', name: 'n', language: 'en', previousScore: 'GREEN', score: 'RED' },
      };
      await applier.execute([{ unroutableIds: [], events: [], actions: [{ kind: 'template-change', webhook }] }]);
      expect(templates.applyWebhook).toHaveBeenCalledWith(webhook);
      expect(events.record).toHaveBeenCalledWith([{ accountId: ACCOUNT_ID, event: templateEvent }]);
    });
  });

  describe('execute', () => {
    it("carries out every plan's actions in order, inserts all events at once and pushes the new ones", async () => {
      const restriction = { event: 'ACCOUNT_RESTRICTION', explanation: 'x', at: clock.now() };
      const event = (key: string): NewTenantEvent => ({
        key,
        type: 'account.update',
        title: 't',
        detail: null,
        phoneNumberId: null,
        wabaId: WABA_ID,
        occurredAt: clock.now(),
        receivedAt: clock.now(),
        messageId: null,
      });
      const plans: DeliveryPlan[] = [
        { unroutableIds: [], events: [{ accountId: ACCOUNT_ID, event: event('a') }], actions: [{ kind: 'revoke-waba', accountId: ACCOUNT_ID, wabaId: WABA_ID, reason: 'gone' }] },
        {
          unroutableIds: [],
          events: [{ accountId: OTHER_ACCOUNT_ID, event: event('b') }],
          actions: [
            { kind: 'restrict-waba', accountId: OTHER_ACCOUNT_ID, wabaId: CLIENT_WABA, restriction },
            { kind: 'number-change', accountId: OTHER_ACCOUNT_ID, phoneNumberId: PHONE_NUMBER_ID, change: { qualityRating: 'RED' } },
          ],
        },
      ];
      phoneNumbers.revokeWaba.mockResolvedValue();
      phoneNumbers.restrictWaba.mockResolvedValue();
      phoneNumbers.applyMetaChange.mockResolvedValue();
      events.record.mockResolvedValue();

      await applier.execute(plans);

      expect(phoneNumbers.revokeWaba).toHaveBeenCalledWith(ACCOUNT_ID, WABA_ID, 'gone');
      expect(phoneNumbers.restrictWaba).toHaveBeenCalledWith(OTHER_ACCOUNT_ID, CLIENT_WABA, restriction);
      expect(phoneNumbers.applyMetaChange).toHaveBeenCalledWith(OTHER_ACCOUNT_ID, PHONE_NUMBER_ID, { qualityRating: 'RED' });
      // The batch's events in one write (EventsService.record skips those already stored and pushes the rest).
      expect(events.record).toHaveBeenCalledTimes(1);
      expect(events.record).toHaveBeenCalledWith([...plans[0].events, ...plans[1].events]);
    });

    it('lets the changes of batches applied side by side take turns, while their events need not wait', async () => {
      const order: string[] = [];
      let finishFirst: () => void = () => undefined;
      phoneNumbers.applyMetaChange.mockImplementation(async (_accountId, phoneNumberId) => {
        order.push(`start ${phoneNumberId}`);
        if (phoneNumberId === 'first') await new Promise<void>((resolve) => (finishFirst = resolve));
        order.push(`end ${phoneNumberId}`);
      });
      events.record.mockResolvedValue();
      const change = (phoneNumberId: string): DeliveryPlan => ({
        unroutableIds: [],
        events: [],
        actions: [{ kind: 'number-change', accountId: ACCOUNT_ID, phoneNumberId, change: { qualityRating: 'RED' } }],
      });

      const first = applier.execute([change('first')]);
      const second = applier.execute([change('second')]);
      const eventsOnly = applier.execute([{ unroutableIds: [], events: [], actions: [] }]);
      await eventsOnly; // not held up by the change in progress
      await new Promise((resolve) => setImmediate(resolve));
      expect(order).toEqual(['start first']);
      finishFirst();
      await Promise.all([first, second]);

      expect(order).toEqual(['start first', 'end first', 'start second', 'end second']);
    });
  });
});
