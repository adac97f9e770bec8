import type { MockProxy } from 'jest-mock-extended';
import { InvalidRequestError } from '../common/errors/domain-errors';
import type { RealtimePublisher } from '../realtime/realtime-publisher';
import { ACCOUNT_ID, aTenant } from '../testing/factories';
import { strictMock } from '../testing/strict-mock';
import { EventsService } from './events.service';
import type { WebhooksRepository } from './webhooks.repository';

describe('EventsService', () => {
  let repository: MockProxy<WebhooksRepository>;
  let gateway: MockProxy<RealtimePublisher>;
  let service: EventsService;

  beforeEach(() => {
    repository = strictMock<WebhooksRepository>('repository');
    gateway = strictMock<RealtimePublisher>('gateway');
    service = new EventsService(repository, gateway);
  });

  it("lists the tenant's events of the asked types, 25 a page by default", async () => {
    repository.listEvents.mockResolvedValue({ items: [], total: 7 });
    await expect(service.list(aTenant(), { types: 'message.received, message.status' })).resolves.toEqual({ items: [], page: 1, pageSize: 25, total: 7 });
    expect(repository.listEvents).toHaveBeenCalledWith(ACCOUNT_ID, { types: ['message.received', 'message.status'], page: 1, pageSize: 25 });
  });

  it('refuses an event type it does not know, naming it and the ones it does', async () => {
    await expect(service.list(aTenant(), { types: 'message.received,message.sent' })).rejects.toThrow(/^Unknown event type message\.sent; use message\.received, /);
  });

  it.each([{ page: 0 }, { page: 10_001 }, { pageSize: 0 }, { pageSize: 201 }])('refuses a page out of bounds: %p', async (query) => {
    await expect(service.list(aTenant(), query)).rejects.toThrow(InvalidRequestError);
  });

  it('stores a batch of events in one write and pushes only the ones that were new', async () => {
    const view = { id: 'e1' } as never;
    const batch = [
      { accountId: ACCOUNT_ID, event: { key: 'message:a' } as never },
      { accountId: ACCOUNT_ID, event: { key: 'message:b' } as never },
    ];
    // "a" was stored before (a re-applied delivery): the repository returns only "b".
    repository.insertEvents.mockResolvedValue([{ accountId: ACCOUNT_ID, view }]);
    gateway.publish.mockReturnValue();

    await service.record(batch);

    expect(repository.insertEvents).toHaveBeenCalledTimes(1);
    expect(repository.insertEvents).toHaveBeenCalledWith(batch);
    expect(gateway.publish).toHaveBeenCalledTimes(1);
    expect(gateway.publish).toHaveBeenCalledWith(ACCOUNT_ID, { type: 'event.created', event: view });
  });

  it('records an active number that changed by itself as an event, pushed to the tenant', async () => {
    const occurredAt = new Date('2026-11-25T12:00:00Z');
    const view = { id: 'e1' } as never;
    repository.insertEvents.mockResolvedValue([{ accountId: ACCOUNT_ID, view }]);
    gateway.publish.mockReturnValue();

    await service.recordActiveNumberChange({ accountId: ACCOUNT_ID, title: 'Active number changed', detail: 'x', phoneNumberId: '2000000000000001', wabaId: '1000000000000001', occurredAt });

    expect(repository.insertEvents).toHaveBeenCalledWith([
      {
        accountId: ACCOUNT_ID,
        event: expect.objectContaining({ key: expect.stringMatching(/^active:/), type: 'phone_number.active', title: 'Active number changed', occurredAt, receivedAt: occurredAt, messageId: null }),
      },
    ]);
    expect(gateway.publish).toHaveBeenCalledWith(ACCOUNT_ID, { type: 'event.created', event: view });
  });

  it('shows operators the deliveries that need a look, of one problem or both', async () => {
    repository.listDeliveries.mockResolvedValue([]);
    await service.problemDeliveries();
    await service.problemDeliveries('rejected');
    expect(repository.listDeliveries.mock.calls).toEqual([
      [['unroutable', 'rejected'], 200],
      [['rejected'], 200],
    ]);
    expect(() => service.problemDeliveries('applied')).toThrow(new InvalidRequestError('status must be unroutable or rejected'));
  });
});
