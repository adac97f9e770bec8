import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, OnInit, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatChipsModule } from '@angular/material/chips';
import { MatPaginatorModule, PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { TenantEventType, TenantEventView, WebhookDeliveryView } from '@waba/contracts';
import { ApiError, messageOf } from '../core/http/api-error';
import { RealtimeService } from '../core/realtime/realtime.service';
import { FormErrorComponent } from '../shared/ui/form-error.component';
import { EVENT_TYPE_LABELS, EVENT_TYPES, EventsService } from './events.service';

const PAGE_SIZE = 25;

/** What Meta told us about the tenant's numbers, newest first, live. */
@Component({
  selector: 'app-events-page',
  imports: [DatePipe, MatButtonModule, MatChipsModule, MatPaginatorModule, MatProgressBarModule, FormErrorComponent],
  templateUrl: './events.page.html',
  styleUrl: './events.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EventsPage implements OnInit {
  private readonly api = inject(EventsService);

  protected readonly typeLabels = EVENT_TYPE_LABELS;
  protected readonly types = EVENT_TYPES;
  protected readonly filter = signal<readonly TenantEventType[]>([]);
  protected readonly items = signal<TenantEventView[]>([]);
  protected readonly page = signal(1);
  protected readonly pageSize = signal(PAGE_SIZE);
  protected readonly total = signal(0);
  protected readonly loading = signal(false);
  protected readonly error = signal<string | null>(null);
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

  protected idsOf(event: TenantEventView): string {
    return [event.phoneNumberId && `Number ${event.phoneNumberId}`, event.wabaId && `WABA ${event.wabaId}`].filter(Boolean).join(' · ');
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

  protected async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      const view = await this.api.list({ types: this.filter(), page: this.page(), pageSize: this.pageSize() });
      this.items.set(view.items);
      this.total.set(view.total);
      if (this.page() === 1) {
        this.newSinceLoad.set(0);
      }
    } catch (error) {
      this.error.set(messageOf(error));
    } finally {
      this.loading.set(false);
    }
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
      this.items.update((items) => [event, ...items].slice(0, this.pageSize()));
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
