import type { MockProxy } from 'jest-mock-extended';
import type { MessageTemplate as GraphTemplate, MetaGraphClient, TemplateChangeContent } from '@waba/meta-graph';
import { Types } from 'mongoose';
import { NotFoundError, UpstreamError } from '../common/errors/domain-errors';
import type { CredentialsService } from '../credentials/credentials.service';
import type { PhoneNumbersService, TenantNumbers } from '../phone-numbers/phone-numbers.service';
import { tenantNumbersOf } from '../testing/doubles';
import type { RealtimePublisher } from '../realtime/realtime-publisher';
import { ACCOUNT_ID, aGraphError, aTenant, aWabaRecord, CONNECTION_ID, WABA_ID } from '../testing/factories';
import { FakeClock } from '../testing/fake-clock';
import { strictMock } from '../testing/strict-mock';
import type { MessageTemplatesRepository, TemplateRecord } from './message-templates.repository';
import type { TemplateSyncJobs } from './template-sync-jobs';
import { TemplatesService, type TemplateWebhook } from './templates.service';

const TEMPLATE_ID = '880000000000001';

function aTemplateRecord(overrides: Partial<TemplateRecord> = {}): TemplateRecord {
  const never = new Date(0);
  return {
    accountId: new Types.ObjectId(ACCOUNT_ID),
    wabaId: WABA_ID,
    templateId: TEMPLATE_ID,
    name: 'order_ready',
    language: 'en_US',
    parameterFormat: 'POSITIONAL',
    status: 'APPROVED',
    rejectedReason: null,
    metaDetail: null,
    statusAt: never,
    qualityScore: 'GREEN',
    qualityAt: never,
    category: 'UTILITY',
    previousCategory: null,
    categoryAt: never,
    components: [{ type: 'BODY', format: null, text: 'Hi {{1}}', buttons: [] }],
    componentsAt: never,
    updatedAt: new Date('2026-11-25T12:00:00Z'),
    ...overrides,
  };
}

function aGraphTemplate(overrides: Partial<GraphTemplate> = {}): GraphTemplate {
  return {
    id: TEMPLATE_ID,
    name: 'order_ready',
    language: 'en_US',
    category: 'UTILITY',
    status: 'APPROVED',
    components: [{ type: 'BODY', text: 'Hi {{1}}' }],
    quality_score: { score: 'GREEN' },
    rejected_reason: 'NONE',
    ...overrides,
  };
}

describe('TemplatesService', () => {
  let clock: FakeClock;
  let repository: MockProxy<MessageTemplatesRepository>;
  let phoneNumbers: MockProxy<PhoneNumbersService>;
  let numbers: MockProxy<TenantNumbers>;
  let credentials: MockProxy<CredentialsService>;
  let graph: MockProxy<MetaGraphClient>;
  let realtime: MockProxy<RealtimePublisher>;
  let jobs: MockProxy<TemplateSyncJobs>;
  let service: TemplatesService;

  beforeEach(() => {
    clock = new FakeClock('2026-11-25T12:00:00.700Z');
    repository = strictMock<MessageTemplatesRepository>('repository');
    phoneNumbers = strictMock<PhoneNumbersService>('phoneNumbers');
    numbers = tenantNumbersOf(phoneNumbers);
    credentials = strictMock<CredentialsService>('credentials');
    graph = strictMock<MetaGraphClient>('graph');
    realtime = strictMock<RealtimePublisher>('realtime');
    jobs = strictMock<TemplateSyncJobs>('jobs');
    service = new TemplatesService(repository, phoneNumbers, credentials, graph, realtime, clock, jobs);
  });

  const statusChange = (overrides: Partial<Extract<TemplateChangeContent, { kind: 'template-status' }>> = {}): TemplateChangeContent => ({
    kind: 'template-status',
    templateId: TEMPLATE_ID,
    name: 'order_ready',
    language: 'en_US',
    event: 'REJECTED',
    reason: 'PROMOTIONAL',
    category: 'UTILITY',
    detail: null,
    ...overrides,
  });
  const webhook = (change: TemplateChangeContent, at = '2026-11-25T11:59:00Z'): TemplateWebhook => ({ accountId: ACCOUNT_ID, wabaId: WABA_ID, change, occurredAt: new Date(at) });

  describe('applying a webhook', () => {
    beforeEach(() => {
      repository.insertMissing.mockResolvedValue([]);
      realtime.publish.mockReturnValue();
    });

    it('applies a rejection dated by Meta, pushes the template live and gives one event in words, keyed by the change', async () => {
      repository.applyAspect.mockResolvedValue(true);
      repository.find.mockResolvedValue(aTemplateRecord({ status: 'REJECTED', rejectedReason: 'PROMOTIONAL' }));

      const events = await service.applyWebhook(webhook(statusChange()));

      expect(repository.applyAspect).toHaveBeenCalledWith(
        ACCOUNT_ID,
        WABA_ID,
        { templateId: TEMPLATE_ID, aspect: 'status', at: new Date('2026-11-25T11:59:00Z'), values: { status: 'REJECTED', rejectedReason: 'PROMOTIONAL', metaDetail: null } },
        clock.now(),
      );
      expect(realtime.publish).toHaveBeenCalledWith(ACCOUNT_ID, {
        type: 'template.updated',
        template: expect.objectContaining({ id: TEMPLATE_ID, status: 'REJECTED', rejectedReason: 'PROMOTIONAL' }),
      });
      expect(events).toEqual([
        {
          accountId: ACCOUNT_ID,
          event: expect.objectContaining({
            key: `template:${TEMPLATE_ID}:REJECTED:${new Date('2026-11-25T11:59:00Z').getTime()}`,
            type: 'template.status',
            title: 'Template order_ready (en_US): rejected',
            detail: expect.stringContaining('Promotional content in a non-marketing template'),
            phoneNumberId: null,
            wabaId: WABA_ID,
          }),
        },
      ]);
      expect(events[0].event.detail).toContain("Meta's reason: PROMOTIONAL");
    });

    it('changes nothing, pushes nothing and tells nobody when a later change already set the status', async () => {
      repository.applyAspect.mockResolvedValue(false);
      expect(await service.applyWebhook(webhook(statusChange({ event: 'PAUSED' })))).toEqual([]);
      expect(realtime.publish).not.toHaveBeenCalled();
    });

    it('gives no event for a change that does not stop sending (approved)', async () => {
      repository.applyAspect.mockResolvedValue(true);
      repository.find.mockResolvedValue(aTemplateRecord({ status: 'APPROVED' }));
      expect(await service.applyWebhook(webhook(statusChange({ event: 'REINSTATED', reason: 'NONE' })))).toEqual([]);
      expect(repository.applyAspect).toHaveBeenCalledWith(ACCOUNT_ID, WABA_ID, expect.objectContaining({ values: { status: 'APPROVED', rejectedReason: null, metaDetail: null } }), clock.now());
    });

    it('leaves the status alone for events that are not statuses (FLAGGED)', async () => {
      expect(await service.applyWebhook(webhook(statusChange({ event: 'FLAGGED' })))).toEqual([]);
      expect(repository.applyAspect).not.toHaveBeenCalled();
    });

    it('creates a template it did not know from the webhook, and queues a full read for the rest', async () => {
      repository.insertMissing.mockResolvedValue([TEMPLATE_ID]);
      repository.applyAspect.mockResolvedValue(true);
      repository.find.mockResolvedValue(aTemplateRecord({ qualityScore: 'RED' }));
      jobs.queueSyncAfterWebhook.mockResolvedValue();
      await service.applyWebhook(webhook({ kind: 'template-quality', templateId: TEMPLATE_ID, name: 'order_ready', language: 'en_US', previousScore: 'GREEN', score: 'RED' }));
      expect(repository.insertMissing).toHaveBeenCalledWith(ACCOUNT_ID, WABA_ID, [{ templateId: TEMPLATE_ID, name: 'order_ready', language: 'en_US' }], clock.now());
      expect(jobs.queueSyncAfterWebhook).toHaveBeenCalledWith(ACCOUNT_ID, WABA_ID);
    });

    it('applies only a completed category change, and edits as components', async () => {
      repository.applyAspect.mockResolvedValue(true);
      repository.find.mockResolvedValue(aTemplateRecord());
      const ref = { templateId: TEMPLATE_ID, name: 'order_ready', language: 'en_US' };
      await service.applyWebhook(webhook({ kind: 'template-category', ...ref, previousCategory: null, category: null, correctCategory: 'MARKETING', effectiveAt: 1 }));
      expect(repository.applyAspect).not.toHaveBeenCalled();
      await service.applyWebhook(webhook({ kind: 'template-category', ...ref, previousCategory: 'UTILITY', category: 'MARKETING', correctCategory: null, effectiveAt: null }));
      await service.applyWebhook(webhook({ kind: 'template-components', ...ref, components: [{ type: 'BODY', text: 'New' }] }));
      expect(repository.applyAspect.mock.calls.map((c) => c[2].values)).toEqual([
        { category: 'MARKETING', previousCategory: 'UTILITY' },
        { components: [{ type: 'BODY', format: null, text: 'New', buttons: [] }] },
      ]);
    });
  });

  describe('reading templates from Meta', () => {
    beforeEach(() => {
      numbers.waba.mockResolvedValue(aWabaRecord());
      credentials.tokenOf.calledWith(ACCOUNT_ID, CONNECTION_ID).mockResolvedValue('EAAtoken');
    });

    it('mirrors every template, stamped with when the read began (whole seconds), removes the ones gone, and says so live', async () => {
      graph.listMessageTemplates.mockResolvedValue({ data: [aGraphTemplate(), aGraphTemplate({ id: '9', name: 'flash_sale', status: 'REJECTED', rejected_reason: 'PROMOTIONAL' })] });
      repository.insertMissing.mockResolvedValue([]);
      repository.applyAspects.mockResolvedValue();
      repository.removeMissing.mockResolvedValue(1);
      repository.recordSync.mockResolvedValue();
      realtime.publish.mockReturnValue();

      const result = await service.sync(ACCOUNT_ID, WABA_ID);

      const readAt = new Date('2026-11-25T12:00:00.000Z');
      expect(result).toEqual({ wabaId: WABA_ID, templates: 2, removed: 1, syncedAt: clock.now().toISOString() });
      const aspects = repository.applyAspects.mock.calls[0][2];
      expect(aspects).toHaveLength(8);
      expect(aspects.every((a) => a.at.getTime() === readAt.getTime())).toBe(true);
      expect(aspects.filter((a) => a.aspect === 'status').map((a) => a.values)).toEqual([
        { status: 'APPROVED', rejectedReason: null },
        { status: 'REJECTED', rejectedReason: 'PROMOTIONAL' },
      ]);
      expect(repository.removeMissing).toHaveBeenCalledWith(ACCOUNT_ID, WABA_ID, [TEMPLATE_ID, '9'], readAt);
      expect(repository.recordSync).toHaveBeenCalledWith(ACCOUNT_ID, WABA_ID, { at: clock.now(), error: null });
      expect(realtime.publish).toHaveBeenCalledWith(ACCOUNT_ID, { type: 'templates.synced', wabaId: WABA_ID });
    });

    it('records why Meta refused in words, and answers the on-demand read with a 502', async () => {
      graph.listMessageTemplates.mockRejectedValue(aGraphError('credential'));
      repository.recordSync.mockResolvedValue();
      const error = await service.syncNow(aTenant(), WABA_ID).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UpstreamError);
      expect((error as Error).message).toMatch(/^Meta did not give us the templates: /);
      expect(repository.recordSync).toHaveBeenCalledWith(ACCOUNT_ID, WABA_ID, { at: clock.now(), error: expect.not.stringContaining('Graph said no') });
    });

    it('skips a WABA that is no longer connected', async () => {
      numbers.waba.mockResolvedValue(aWabaRecord({ state: 'disconnected' }));
      expect((await service.sync(ACCOUNT_ID, WABA_ID)).templates).toBe(0);
      await expect(service.syncNow(aTenant(), WABA_ID)).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('listing', () => {
    it('filters by status, category and language, and lists the languages of all templates', async () => {
      numbers.waba.mockResolvedValue(aWabaRecord());
      repository.list.mockResolvedValue([aTemplateRecord(), aTemplateRecord({ templateId: '2', language: 'es', status: 'PAUSED', category: 'MARKETING' })]);
      repository.findSync.mockResolvedValue(null);
      const page = await service.list(aTenant(), WABA_ID, { status: 'PAUSED' });
      expect(page).toMatchObject({ wabaId: WABA_ID, total: 2, languages: ['en_US', 'es'], lastSyncedAt: null });
      expect(page.items.map((t) => t.id)).toEqual(['2']);
      expect((await service.list(aTenant(), WABA_ID, { category: 'UTILITY', language: 'en_US' })).items.map((t) => t.id)).toEqual([TEMPLATE_ID]);
    });

    it("refuses a WABA that is not the tenant's", async () => {
      numbers.waba.mockResolvedValue(null);
      await expect(service.list(aTenant(), 'someone-elses', {})).rejects.toBeInstanceOf(NotFoundError);
    });
  });
});
