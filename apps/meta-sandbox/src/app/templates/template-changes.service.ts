// Meta changing a template (review, quality, category, an edit) and the WABA-level webhook it sends
// for each: `entry[].id` is the WABA, nothing names a phone number (docs/meta.md §14).
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import type { TemplateWebhookChange, WebhookEntry } from '@waba/meta-graph';
import { SandboxClock } from '../common/sandbox-clock';
import { WebhookSenderService } from '../webhooks/webhook-sender.service';
import { WorldStore } from '../world/world.store';
import { MessageTemplateRecord, WabaRecord } from '../world/world.types';
import { newTemplate } from './template-record';

/** What to change; each field given changes the template and sends its own webhook. */
export interface TemplateChange {
  status?: string;
  /** For REJECTED: Meta's reason code (INVALID_FORMAT, PROMOTIONAL, …). */
  reason?: string;
  quality?: string;
  category?: string;
  /** An edit: the new body text (and optionally header and footer). */
  bodyText?: string;
  headerText?: string;
  footerText?: string;
  /** Unix seconds written into `entry[].time`, to send a change as if it happened then (out-of-order tests). */
  time?: number;
}

export interface TemplateChangeResult {
  template: MessageTemplateRecord;
  deliveries: Array<{ id: string; field: string; url: string }>;
  skipped: Array<{ field: string; reason: string }>;
}

@Injectable()
export class TemplateChangesService {
  constructor(
    private readonly world: WorldStore,
    private readonly clock: SandboxClock,
    private readonly sender: WebhookSenderService,
  ) {}

  find(templateId: string): { waba: WabaRecord; template: MessageTemplateRecord } {
    for (const waba of this.world.wabas.values()) {
      const template = waba.messageTemplates?.find((t) => t.id === templateId);
      if (template) return { waba, template };
    }
    throw new NotFoundException(`No template has id ${templateId}`);
  }

  /** Adds templates to a WABA; `count` > 1 makes numbered copies (`name_1`, `name_2`, …) for paging tests. */
  add(wabaId: string, template: Partial<MessageTemplateRecord> & { name: string }, count = 1): MessageTemplateRecord[] {
    const waba = this.world.wabas.get(wabaId);
    if (!waba) throw new NotFoundException(`No WABA has id ${wabaId}`);
    const added = Array.from({ length: count }, (_, i) => newTemplate(this.world.nextId('8'), this.clock.nowSeconds(), { ...template, name: count > 1 ? `${template.name}_${i + 1}` : template.name }));
    waba.messageTemplates = [...(waba.messageTemplates ?? []), ...added];
    return added;
  }

  change(templateId: string, change: TemplateChange): TemplateChangeResult {
    const { waba, template } = this.find(templateId);
    const changes: TemplateWebhookChange[] = [];
    const ref = { message_template_id: Number(template.id), message_template_name: template.name, message_template_language: template.language };
    if (change.category && change.category !== template.category) {
      changes.push({ field: 'template_category_update', value: { ...ref, previous_category: template.category, new_category: change.category } });
      template.previousCategory = template.category;
      template.category = change.category;
    }
    if (change.status) {
      const reason = change.status === 'REJECTED' ? (change.reason ?? 'INVALID_FORMAT') : 'NONE';
      template.status = change.status;
      template.rejectedReason = change.status === 'REJECTED' ? reason : 'NONE';
      changes.push({
        field: 'message_template_status_update',
        value: {
          event: change.status,
          ...ref,
          reason,
          message_template_category: template.category,
          ...(change.status === 'DISABLED' && { disable_info: { disable_date: this.clock.nowSeconds() } }),
          ...(change.status === 'PAUSED' && {
            other_info: { title: 'FIRST_PAUSE', description: 'Your template has been paused for 3 hours because of low quality: customers blocked or reported it.' },
          }),
          ...(reason === 'INVALID_FORMAT' && {
            rejection_info: { reason: 'The template has parameters with formatting issues.', recommendation: 'Put the variables inside a full sentence, not at the start or end of the body.' },
          }),
        },
      });
    }
    if (change.quality && change.quality !== template.qualityScore) {
      changes.push({ field: 'message_template_quality_update', value: { previous_quality_score: template.qualityScore, new_quality_score: change.quality, ...ref } });
      template.qualityScore = change.quality;
      template.qualityDate = this.clock.nowSeconds();
    }
    if (change.bodyText || change.headerText || change.footerText) {
      const body = change.bodyText ?? template.components.find((c) => c.type === 'BODY')?.text;
      if (!body) throw new BadRequestException('an edit needs bodyText: the template has no body');
      const header = change.headerText ?? template.components.find((c) => c.type === 'HEADER' && c.format === 'TEXT')?.text;
      const footer = change.footerText ?? template.components.find((c) => c.type === 'FOOTER')?.text;
      template.components = [
        ...(header ? [{ type: 'HEADER', format: 'TEXT', text: header }] : []),
        { type: 'BODY', text: body },
        ...(footer ? [{ type: 'FOOTER', text: footer }] : []),
        ...template.components.filter((c) => c.type === 'BUTTONS'),
      ];
      changes.push({
        field: 'message_template_components_update',
        value: { ...ref, message_template_element: body, ...(header && { message_template_title: header }), ...(footer && { message_template_footer: footer }) },
      });
    }
    if (!changes.length) throw new BadRequestException('nothing to change: give status, quality, category or bodyText (different from what the template has)');
    return { template, ...this.send(waba, changes, change.time ?? this.clock.nowSeconds()) };
  }

  /**
   * One delivery per change, to the app's callback (template fields ignore callback overrides), and
   * only when our app subscribed to the WABA, as Meta sends WABA webhooks to subscribed apps only.
   */
  private send(waba: WabaRecord, changes: TemplateWebhookChange[], time: number): Pick<TemplateChangeResult, 'deliveries' | 'skipped'> {
    const url = this.world.settings.webhookUrl;
    const subscribed = waba.subscriptions.some((s) => s.appId === this.world.app.id);
    const skipReason = !url ? 'no app callback URL configured' : !subscribed ? `app not subscribed to WABA ${waba.id} (POST /${waba.id}/subscribed_apps)` : null;
    if (skipReason) return { deliveries: [], skipped: changes.map((c) => ({ field: c.field, reason: skipReason })) };
    const deliveries = changes.map((change) => {
      const entry = { id: waba.id, time, changes: [change] } as unknown as WebhookEntry;
      const delivery = this.sender.deliver(url as string, { object: 'whatsapp_business_account', entry: [entry] });
      return { id: delivery.id, field: change.field, url: delivery.url };
    });
    return { deliveries, skipped: [] };
  }
}
