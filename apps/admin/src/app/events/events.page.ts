import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, OnInit, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatChipsModule } from '@angular/material/chips';
import { MatPaginatorModule, PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { TenantEventType, TenantEventView, WebhookDeliveryView } from '@waba/contracts';
import { ApiError, messageOf } from '../core/http/api-error';
import { NewestAnswer } from '../core/newest-answer';
import { RealtimeService } from '../core/realtime/realtime.service';
import { deriveNumberStatus, type DerivedStatus } from '@waba/contracts/status';
import { CLOCK } from '../core/clock';
import { FormErrorComponent } from '../shared/ui/form-error.component';
import { StatusBadgeComponent } from '../shared/ui/status-badge.component';
import { WhatsappStateService } from '../whatsapp/whatsapp-state.service';
import { EVENT_TYPE_LABELS, EVENT_TYPES, EventsService } from './events.service';

const PAGE_SIZE = 25;

/** What Meta told us about the tenant's numbers, newest first, live. */
@Component({
  selector: 'app-events-page',
  imports: [DatePipe, RouterLink, MatButtonModule, MatChipsModule, MatPaginatorModule, MatProgressBarModule, FormErrorComponent, StatusBadgeComponent],
  templateUrl: './events.page.html',
  styleUrl: './events.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EventsPage implements OnInit {
  private readonly api = inject(EventsService);
  /** The tenant's WABAs and numbers (kept loaded by the shell): names instead of ids. */
  private readonly whatsapp = inject(WhatsappStateService);
  private readonly now = inject(CLOCK);

  protected readonly typeLabels = EVENT_TYPE_LABELS;
  protected readonly types = EVENT_TYPES;
  protected readonly filter = signal<readonly TenantEventType[]>([]);
  protected readonly items = signal<TenantEventView[]>([]);
  protected readonly page = signal(1);
  protected readonly pageSize = signal(PAGE_SIZE);
  protected readonly total = signal(0);
  protected readonly loading = signal(false);
  protected readonly error = signal<string | null>(null);
  private readonly loads = new NewestAnswer();
  /** Events that arrived while another page was shown; they wait on page 1. */
  protected readonly newSinceLoad = signal(0);
  protected readonly deliveries = signal<WebhookDeliveryView[] | null>(null);
  protected readonly deliveriesError = signal<string | null>(null);

  constructor() {
    const subscription = inject(RealtimeService).events$.subscribe((event) => {
      if (event.type === 'event.created') {
        this.receive(event.event);
      }
    });
    inject(DestroyRef).onDestroy(() => subscription.unsubscribe());
  }

  ngOnInit(): void {
    void this.load();
    void this.loadDeliveries();
  }

  protected typeLabel(type: TenantEventType): string {
    return this.typeLabels[type] ?? type;
  }

  /** "+1 555-010-0199 (Acme Bakery) · Acme Bakery Marketing"; an id only for what is no longer known here. */
  protected namesOf(event: TenantEventView): string {
    const wabas = this.whatsapp.wabas();
    const number = event.phoneNumberId ? wabas.flatMap((w) => w.numbers).find((n) => n.phoneNumberId === event.phoneNumberId) : undefined;
    const waba = wabas.find((w) => w.wabaId === (number?.wabaId ?? event.wabaId));
    const numberName = number ? `${number.displayPhone}${number.verifiedName ? ` (${number.verifiedName})` : ''}` : event.phoneNumberId && `Number ${event.phoneNumberId}`;
    const wabaName = waba ? (waba.name ?? 'WhatsApp Business Account') : event.wabaId && `WhatsApp Business Account ${event.wabaId}`;
    return [numberName, wabaName].filter(Boolean).join(' · ');
  }

  /** The number's (or else the WABA's numbers') status today, from the one derivation. */
  protected statusOf(event: TenantEventView): DerivedStatus | null {
    const waba = this.whatsapp.wabas().find((w) => w.numbers.some((n) => n.phoneNumberId === event.phoneNumberId) || w.wabaId === event.wabaId);
    const number = waba?.numbers.find((n) => n.phoneNumberId === event.phoneNumberId);
    return waba && number ? deriveNumberStatus(number, waba, this.now()) : null;
  }

  protected setFilter(value: TenantEventType[] | null | undefined): void {
    this.filter.set(value ?? []);
    this.page.set(1);
    void this.load();
  }

  protected onPage(event: PageEvent): void {
    this.page.set(event.pageIndex + 1);
    this.pageSize.set(event.pageSize);
    void this.load();
  }

  protected showNewest(): void {
    this.page.set(1);
    void this.load();
  }

  /** A filter or page chosen while the previous one still loads: only the last choice's answer shows. */
  protected async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    const query = { types: this.filter(), page: this.page(), pageSize: this.pageSize() };
    await this.loads.run(
      () => this.api.list(query),
      (view) => {
        this.items.set(view.items);
        this.total.set(view.total);
        if (query.page === 1) this.newSinceLoad.set(0);
        this.loading.set(false);
      },
      (error) => {
        this.error.set(messageOf(error));
        this.loading.set(false);
      },
    );
  }

  /** A live event: on page 1 it goes on top; on later pages the page stays put and a note offers it. */
  private receive(event: TenantEventView): void {
    const filter = this.filter();
    if (filter.length > 0 && !filter.includes(event.type)) {
      return;
    }
    if (this.items().some((item) => item.id === event.id)) {
      return;
    }
    this.total.update((total) => total + 1);
    if (this.page() === 1) {
      // Newest first by the time shown: a late delivery of an older event takes its place, not the top.
      this.items.update((items) => [event, ...items].sort(byOccurredAtDesc).slice(0, this.pageSize()));
    } else {
      this.newSinceLoad.update((count) => count + 1);
    }
  }

  private async loadDeliveries(): Promise<void> {
    try {
      this.deliveries.set(await this.api.problemDeliveries());
    } catch (error) {
      // 403: not an operator; the section stays hidden. Anything else is worth saying.
      if (!(error instanceof ApiError && error.status === 403)) {
        this.deliveriesError.set(messageOf(error));
      }
    }
  }
}

function byOccurredAtDesc(a: TenantEventView, b: TenantEventView): number {
  return Date.parse(b.occurredAt) - Date.parse(a.occurredAt);
}
