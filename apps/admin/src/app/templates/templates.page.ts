import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, effect, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { Router, RouterLink } from '@angular/router';
import type { MessageTemplateView } from '@waba/contracts';
import { describeTemplateRejection, describeTemplateCategory, describeTemplateQuality, describeTemplateStatus, TEMPLATE_CATEGORIES, TEMPLATE_STATUSES } from '@waba/contracts/status';
import { messageOf } from '../core/http/api-error';
import { RealtimeService } from '../core/realtime/realtime.service';
import { FormErrorComponent } from '../shared/ui/form-error.component';
import { StatusBadgeComponent } from '../shared/ui/status-badge.component';
import { WhatsappStateService } from '../whatsapp/whatsapp-state.service';
import { TemplatesService, type TemplateFilters } from './templates.service';

/** A connected WABA's message templates as Meta has them (read-only), filtered, in words, live. */
@Component({
  selector: 'app-templates-page',
  imports: [DatePipe, MatButtonModule, MatFormFieldModule, MatProgressBarModule, MatSelectModule, RouterLink, FormErrorComponent, StatusBadgeComponent],
  templateUrl: './templates.page.html',
  styleUrl: './templates.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TemplatesPage {
  private readonly api = inject(TemplatesService);
  private readonly router = inject(Router);
  protected readonly whatsapp = inject(WhatsappStateService);

  /** From the route (`/templates/:wabaId`); absent on `/templates`, which shows the first WABA. */
  readonly wabaId = input<string | undefined>(undefined);

  protected readonly statuses = TEMPLATE_STATUSES;
  protected readonly categories = TEMPLATE_CATEGORIES;
  protected readonly statusWords = describeTemplateStatus;
  protected readonly categoryWords = describeTemplateCategory;
  protected readonly qualityWords = describeTemplateQuality;
  protected readonly rejectionWords = describeTemplateRejection;

  protected readonly wabas = computed(() => this.whatsapp.wabas().filter((w) => w.state === 'connected'));
  protected readonly selectedWabaId = computed(() => this.wabaId() ?? this.wabas()[0]?.wabaId ?? null);
  protected readonly filters = signal<TemplateFilters>({ status: null, category: null, language: null });
  protected readonly items = signal<MessageTemplateView[]>([]);
  protected readonly total = signal(0);
  protected readonly languages = signal<string[]>([]);
  protected readonly lastSyncedAt = signal<string | null>(null);
  protected readonly lastSyncError = signal<string | null>(null);
  protected readonly loading = signal(false);
  protected readonly syncing = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly note = signal<string | null>(null);

  constructor() {
    void this.whatsapp.refresh();
    effect(() => {
      const wabaId = this.selectedWabaId();
      this.filters();
      if (wabaId) {
        void this.load(wabaId);
      }
    });
    const subscription = inject(RealtimeService).events$.subscribe((event) => {
      if (event.type === 'template.updated' && event.template.wabaId === this.selectedWabaId()) {
        this.receive(event.template);
      } else if (event.type === 'templates.synced' && event.wabaId === this.selectedWabaId()) {
        void this.load(event.wabaId);
      }
    });
    inject(DestroyRef).onDestroy(() => subscription.unsubscribe());
  }

  protected chooseWaba(wabaId: string): void {
    void this.router.navigate(['/templates', wabaId]);
  }

  protected setFilter(key: keyof TemplateFilters, value: string | null): void {
    this.filters.update((filters) => ({ ...filters, [key]: value || null }));
  }

  protected async sync(): Promise<void> {
    const wabaId = this.selectedWabaId();
    if (!wabaId) {
      return;
    }
    this.syncing.set(true);
    this.error.set(null);
    try {
      const result = await this.api.sync(wabaId);
      this.note.set(`Read ${result.templates} ${result.templates === 1 ? 'template' : 'templates'} from Meta${result.removed ? `; ${result.removed} no longer there` : ''}.`);
      await this.load(wabaId);
    } catch (error) {
      this.error.set(messageOf(error));
    } finally {
      this.syncing.set(false);
    }
  }

  protected bodyOf(template: MessageTemplateView): string | null {
    return template.components.find((c) => c.type === 'BODY')?.text ?? null;
  }

  protected headerOf(template: MessageTemplateView): string | null {
    const header = template.components.find((c) => c.type === 'HEADER');
    return header ? (header.text ?? `[${(header.format ?? 'media').toLowerCase()}]`) : null;
  }

  protected footerOf(template: MessageTemplateView): string | null {
    return template.components.find((c) => c.type === 'FOOTER')?.text ?? null;
  }

  protected buttonsOf(template: MessageTemplateView): string[] {
    return template.components.flatMap((c) => c.buttons).map((b) => b.text ?? b.type);
  }

  private async load(wabaId: string): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      const page = await this.api.list(wabaId, this.filters());
      if (wabaId !== this.selectedWabaId()) {
        return;
      }
      this.items.set(page.items);
      this.total.set(page.total);
      this.languages.set(page.languages);
      this.lastSyncedAt.set(page.lastSyncedAt);
      this.lastSyncError.set(page.lastSyncError);
    } catch (error) {
      this.error.set(messageOf(error));
    } finally {
      this.loading.set(false);
    }
  }

  /** A template changed at Meta: replaced in place, or dropped when it no longer matches the filters. */
  private receive(template: MessageTemplateView): void {
    const { status, category, language } = this.filters();
    const matches = (!status || template.status === status) && (!category || template.category === category) && (!language || template.language === language);
    const known = this.items().some((t) => t.id === template.id);
    if (!known) {
      if (matches) {
        void this.load(template.wabaId);
      }
      return;
    }
    this.items.update((items) => (matches ? items.map((t) => (t.id === template.id ? template : t)) : items.filter((t) => t.id !== template.id)));
    this.note.set(`${template.name} (${template.language}) changed at Meta: ${describeTemplateStatus(template.status).label.toLowerCase()}.`);
  }
}
