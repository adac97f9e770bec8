import type { MockProxy } from 'jest-mock-extended';
import { NotFoundError } from '../common/errors/domain-errors';
import { aMessagesChange, anInboundMessage, anInboxEntry, aWebhookPayload, PHONE_NUMBER_ID, WABA_ID } from '../testing/factories';
import { strictMock } from '../testing/strict-mock';
import { StoredDeliveriesService } from './stored-deliveries.service';
import type { WebhookApplication } from './webhook-application.service';
import type { ArchivedDelivery, WebhooksRepository } from './webhooks.repository';

const ID = '64b0000000000000000000f1';

describe('StoredDeliveriesService', () => {
  let repository: MockProxy<WebhooksRepository>;
  let application: MockProxy<WebhookApplication>;
  let service: StoredDeliveriesService;

  beforeEach(() => {
    repository = strictMock<WebhooksRepository>('repository');
    application = strictMock<WebhookApplication>('application');
    service = new StoredDeliveriesService(repository, application);
  });

  const archived = (body: unknown, overrides: Partial<ArchivedDelivery> = {}): ArchivedDelivery & { id: string } => {
    const entry = anInboxEntry(body);
    return {
      id: ID,
      bodySha256: entry._id,
      acceptId: entry.acceptId,
      rawBody: entry.rawBody,
      sizeBytes: entry.sizeBytes,
      receivedAt: entry.receivedAt,
      attempts: 2,
      status: 'unroutable',
      error: `No tenant owns ${PHONE_NUMBER_ID}`,
      unroutableIds: [PHONE_NUMBER_ID],
      appliedAt: null,
      ...overrides,
    };
  };

  it('lists unroutable deliveries with the ids their bodies name', async () => {
    const payload = aWebhookPayload([aMessagesChange({ messages: [anInboundMessage()] })]);
    repository.listUnroutableDeliveries.calledWith(20).mockResolvedValue([archived(payload), archived('not json', { error: null, unroutableIds: [] })]);

    const listed = await service.listUnroutable(20);

    expect(listed).toEqual([
      { id: ID, receivedAt: expect.any(Date), wabaIds: [WABA_ID], phoneNumberIds: [PHONE_NUMBER_ID], unroutableIds: [PHONE_NUMBER_ID], reason: `No tenant owns ${PHONE_NUMBER_ID}` },
      { id: ID, receivedAt: expect.any(Date), wabaIds: [], phoneNumberIds: [], unroutableIds: [], reason: 'No tenant owns the ids it names' },
    ]);
  });

  it("replays a delivery through the workers' path under its first acceptance, and says what changed", async () => {
    const before = archived(aWebhookPayload([]));
    repository.findArchivedDelivery
      .calledWith(ID)
      .mockResolvedValueOnce(before)
      .mockResolvedValueOnce({ ...before, status: 'applied', error: null });
    application.apply.mockResolvedValue();

    await expect(service.replay(ID)).resolves.toEqual({ id: ID, before: 'unroutable', after: 'applied', reason: null });
    expect(application.apply).toHaveBeenCalledWith({
      entry: { _id: before.bodySha256, rawBody: before.rawBody, sizeBytes: before.sizeBytes, receivedAt: before.receivedAt, acceptId: before.acceptId },
      attempt: 2,
    });
  });

  it('says why a replayed delivery is still not applied', async () => {
    const before = archived(aWebhookPayload([]));
    repository.findArchivedDelivery.mockResolvedValue(before);
    application.apply.mockResolvedValue();
    await expect(service.replay(ID)).resolves.toEqual({ id: ID, before: 'unroutable', after: 'unroutable', reason: `No tenant owns ${PHONE_NUMBER_ID}` });
  });

  it('refuses an id no delivery has', async () => {
    repository.findArchivedDelivery.mockResolvedValue(null);
    await expect(service.replay(ID)).rejects.toThrow(new NotFoundError(`No stored webhook delivery has the id ${ID}`));
  });
});
