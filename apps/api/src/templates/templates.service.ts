import { Injectable, Logger } from '@nestjs/common';
import {
  describeTemplateRejection,
  describeTemplateStatus,
  TEMPLATE_STATUSES,
  TEMPLATE_STATUSES_WORTH_AN_EVENT,
  type MessageTemplatesPageView,
  type MessageTemplatesQuery,
  type MessageTemplateView,
  type TemplateAttentionView,
  type TemplateComponentView,
  type TemplateSyncView,
} from '@waba/contracts';
import { MetaGraphClient, MetaGraphError, type MessageTemplate as GraphTemplate, type TemplateChangeContent, type TemplateComponent } from '@waba/meta-graph';
import type { TenantContext } from '../common/auth/auth.decorators';
import { Clock } from '../common/clock/clock';
import { NotFoundError, UpstreamError } from '../common/errors/domain-errors';
import { CredentialsService } from '../credentials/credentials.service';
import { PhoneNumbersService } from '../phone-numbers/phone-numbers.service';
import { describeGraphError } from '../phone-numbers/phone-numbers.service';
import { RealtimePublisher } from '../realtime/realtime-publisher';
import type { NewTenantEvent } from '../common/events/tenant-events';
import { MessageTemplatesRepository, type AspectChange, type TemplateRecord } from './message-templates.repository';
import { TemplateSyncJobs } from './template-sync-jobs';

/** Status webhook events that are not statuses themselves, and the status they leave the template in. */
const STATUS_OF_EVENT: Record<string, string> = { REINSTATED: 'APPROVED', UNARCHIVED: 'APPROVED' };

/** A template webhook, routed to its tenant, with the time Meta gave it. */
export interface TemplateWebhook {
  accountId: string;
  wabaId: string;
  change: TemplateChangeContent;
  occurredAt: Date;
}

/**
 * The tenant's message templates, mirrored read-only from Meta: read in full (all pages) when a
 * WABA connects, on a schedule and on demand, and kept current between reads by the template
 * webhooks. Each aspect keeps the time of the change that set it, so webhooks that arrive late or
 * twice change nothing (message-template.schema.ts).
 */
@Injectable()
export class TemplatesService {
  private readonly logger = new Logger(TemplatesService.name);

  constructor(
    private readonly repository: MessageTemplatesRepository,
    private readonly numbers: PhoneNumbersService,
    private readonly credentials: CredentialsService,
    private readonly graph: MetaGraphClient,
    private readonly realtime: RealtimePublisher,
    private readonly clock: Clock,
    private readonly jobs: TemplateSyncJobs,
  ) {}

  async list(tenant: TenantContext, wabaId: string, query: MessageTemplatesQuery): Promise<MessageTemplatesPageView> {
    const waba = await this.numbers.forTenant(tenant.accountId).waba(wabaId);
    if (!waba) throw new NotFoundError('No WhatsApp Business Account with this id is connected to your account');
    const [all, sync] = await Promise.all([this.repository.list(tenant.accountId, wabaId), this.repository.findSync(tenant.accountId, wabaId)]);
    const items = all.filter((t) => (!query.status || t.status === query.status) && (!query.category || t.category === query.category) && (!query.language || t.language === query.language));
    return {
      wabaId,
      wabaName: waba.name,
      items: items.map(toTemplateView),
      total: all.length,
      languages: [...new Set(all.map((t) => t.language))].sort(),
      lastSyncedAt: sync?.lastSyncedAt?.toISOString() ?? null,
      lastSyncError: sync?.lastError ?? null,
    };
  }

  /** What the Overview lists: the tenant's templates that cannot be sent, in words. */
  async needingAttention(accountId: string, limit = 10): Promise<TemplateAttentionView[]> {
    // The statuses worth an event are the ones in which a template cannot be sent.
    const found = await this.repository.inStatuses(accountId, [...TEMPLATE_STATUSES_WORTH_AN_EVENT], limit);
    return found.map((template) => {
      const words = template.status === 'REJECTED' ? describeTemplateRejection(template.rejectedReason) : describeTemplateStatus(template.status);
      return {
        templateId: template.templateId,
        wabaId: template.wabaId,
        name: template.name,
        language: template.language,
        status: template.status ?? 'UNKNOWN',
        title: `${template.name} (${template.language}) is ${describeTemplateStatus(template.status).label.toLowerCase()}`,
        detail: words.meaning,
      };
    });
  }

  /** On demand: reads the WABA's templates now; Meta's refusal is a 502 in words. */
  async syncNow(tenant: TenantContext, wabaId: string): Promise<TemplateSyncView> {
    const waba = await this.numbers.forTenant(tenant.accountId).waba(wabaId);
    if (!waba || waba.state !== 'connected') throw new NotFoundError('No WhatsApp Business Account with this id is connected to your account');
    try {
      return await this.sync(tenant.accountId, wabaId);
    } catch (error) {
      if (error instanceof MetaGraphError) throw new UpstreamError(`Meta did not give us the templates: ${describeGraphError(error)}`, { cause: error });
      throw error;
    }
  }

  /**
   * Reads every page of the WABA's templates and mirrors them. Aspects are stamped with the time the
   * read began (in whole seconds, as Meta stamps webhooks): a webhook for a change made during the
   * read still applies. Templates Meta no longer lists are removed. The outcome is recorded.
   */
  async sync(accountId: string, wabaId: string): Promise<TemplateSyncView> {
    const waba = await this.numbers.forTenant(accountId).waba(wabaId);
    if (!waba || waba.state !== 'connected') return { wabaId, templates: 0, removed: 0, syncedAt: this.clock.now().toISOString() };
    const readAt = new Date(Math.floor(this.clock.now().getTime() / 1000) * 1000);
    let listed: GraphTemplate[];
    try {
      const token = await this.credentials.tokenOf(accountId, String(waba.connectionId));
      listed = (await this.graph.listMessageTemplates(token, wabaId)).data;
    } catch (error) {
      if (error instanceof MetaGraphError) await this.repository.recordSync(accountId, wabaId, { at: this.clock.now(), error: describeGraphError(error) });
      throw error;
    }
    const now = this.clock.now();
    await this.repository.insertMissing(
      accountId,
      wabaId,
      listed.map((t) => ({ templateId: String(t.id), name: t.name, language: t.language, parameterFormat: t.parameter_format ?? null })),
      now,
    );
    await this.repository.applyAspects(
      accountId,
      wabaId,
      listed.flatMap((t) => aspectsOf(t, readAt)),
      now,
    );
    const removed = await this.repository.removeMissing(
      accountId,
      wabaId,
      listed.map((t) => String(t.id)),
      readAt,
    );
    await this.repository.recordSync(accountId, wabaId, { at: now, error: null });
    this.realtime.publish(accountId, { type: 'templates.synced', wabaId });
    return { wabaId, templates: listed.length, removed, syncedAt: now.toISOString() };
  }

  /**
   * One template webhook: applied unless a later change already set that aspect. Returns the tenant
   * events to record (a status that stops sending: rejected, paused, disabled). A template unknown
   * here is created from what the webhook says, and a full read is queued for the rest.
   */
  async applyWebhook(webhook: TemplateWebhook): Promise<Array<{ accountId: string; event: NewTenantEvent }>> {
    const { events, unknownTemplate } = await this.applyToMirror(webhook);
    if (unknownTemplate) await this.jobs.queueSyncAfterWebhook(webhook.accountId, webhook.wabaId);
    return events;
  }

  private async applyToMirror(webhook: TemplateWebhook): Promise<{ events: Array<{ accountId: string; event: NewTenantEvent }>; unknownTemplate: boolean }> {
    const { accountId, wabaId, change, occurredAt } = webhook;
    const templateId = change.templateId ?? (change.name && change.language ? (await this.repository.findByName(accountId, wabaId, change.name, change.language))?.templateId : null);
    if (!templateId) return { events: [], unknownTemplate: false };
    const now = this.clock.now();
    const created = change.name && change.language ? await this.repository.insertMissing(accountId, wabaId, [{ templateId, name: change.name, language: change.language }], now) : [];
    const aspect = aspectOfWebhook(change, templateId, occurredAt);
    if (!aspect) return { events: [], unknownTemplate: created.length > 0 };
    const applied = await this.repository.applyAspect(accountId, wabaId, aspect, now);
    if (!applied) {
      this.logger.debug(`Template ${templateId}: a ${aspect.aspect} change older than the stored one was ignored`);
      return { events: [], unknownTemplate: created.length > 0 };
    }
    const stored = await this.repository.find(accountId, wabaId, templateId);
    if (stored) this.realtime.publish(accountId, { type: 'template.updated', template: toTemplateView(stored) });
    const events = change.kind === 'template-status' && stored ? statusEvents(accountId, stored, change, occurredAt, now) : [];
    return { events, unknownTemplate: created.length > 0 };
  }

  /** The WABA left this tenant: its templates go too. */
  forgetWaba(accountId: string, wabaId: string): Promise<void> {
    return this.repository.deleteOfWaba(accountId, wabaId);
  }
}

function aspectsOf(template: GraphTemplate, at: Date): AspectChange[] {
  const templateId = String(template.id);
  const rejected = template.status === 'REJECTED';
  return [
    { templateId, aspect: 'status', at, values: { status: template.status, rejectedReason: rejected ? (template.rejected_reason ?? null) : null } },
    { templateId, aspect: 'quality', at, values: { qualityScore: template.quality_score?.score ?? null } },
    { templateId, aspect: 'category', at, values: { category: template.category, previousCategory: template.previous_category ?? null } },
    { templateId, aspect: 'components', at, values: { components: (template.components ?? []).map(componentView) } },
  ];
}

function aspectOfWebhook(change: TemplateChangeContent, templateId: string, at: Date): AspectChange | null {
  switch (change.kind) {
    case 'template-status': {
      const status = change.event && ((TEMPLATE_STATUSES as readonly string[]).includes(change.event) ? change.event : STATUS_OF_EVENT[change.event]);
      // FLAGGED, LOCKED and the like say something about the template without changing its status.
      if (!status) return null;
      const rejected = status === 'REJECTED';
      return { templateId, aspect: 'status', at, values: { status, rejectedReason: rejected ? (change.reason ?? null) : null, metaDetail: change.detail } };
    }
    case 'template-quality':
      return change.score ? { templateId, aspect: 'quality', at, values: { qualityScore: change.score } } : null;
    case 'template-category':
      // An impending change (correct_category) is a warning; the category changes when Meta says it did.
      return change.category ? { templateId, aspect: 'category', at, values: { category: change.category, previousCategory: change.previousCategory } } : null;
    case 'template-components':
      return change.components.length ? { templateId, aspect: 'components', at, values: { components: change.components.map(componentView) } } : null;
  }
}

function statusEvents(accountId: string, template: TemplateRecord, change: Extract<TemplateChangeContent, { kind: 'template-status' }>, occurredAt: Date, now: Date) {
  const status = template.status;
  if (!status || !TEMPLATE_STATUSES_WORTH_AN_EVENT.includes(status)) return [];
  const words = describeTemplateStatus(status);
  const rejection = status === 'REJECTED' ? describeTemplateRejection(template.rejectedReason) : null;
  const detail = rejection ? `${rejection.label}: ${rejection.meaning}${template.rejectedReason ? ` (Meta's reason: ${template.rejectedReason})` : ''}` : words.meaning;
  const event: NewTenantEvent = {
    // One event per status reached at one time: the same change sent twice (even as other bytes) is one event.
    key: `template:${template.templateId}:${change.event ?? status}:${occurredAt.getTime()}`,
    type: 'template.status',
    title: `Template ${template.name} (${template.language}): ${words.label.toLowerCase()}`,
    detail,
    phoneNumberId: null,
    wabaId: template.wabaId,
    occurredAt,
    receivedAt: now,
    messageId: null,
  };
  return [{ accountId, event }];
}

function componentView(component: TemplateComponent): TemplateComponentView {
  return {
    type: component.type,
    format: component.format ?? null,
    text: component.text ?? null,
    buttons: (component.buttons ?? []).map((b) => ({ type: b.type, text: b.text ?? null, url: b.url ?? null, phoneNumber: b.phone_number ?? null })),
  };
}

export function toTemplateView(template: TemplateRecord): MessageTemplateView {
  return {
    id: template.templateId,
    wabaId: template.wabaId,
    name: template.name,
    language: template.language,
    category: template.category,
    previousCategory: template.previousCategory,
    status: template.status,
    qualityScore: template.qualityScore,
    rejectedReason: template.status === 'REJECTED' ? template.rejectedReason : null,
    // Meta's words belong to the rejection or pause they came with.
    metaDetail: template.status && ['REJECTED', 'PAUSED', 'DISABLED'].includes(template.status) ? template.metaDetail : null,
    components: template.components,
    updatedAt: template.updatedAt.toISOString(),
  };
}
