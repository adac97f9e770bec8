import { computed, DestroyRef, effect, inject, Injectable, signal, untracked } from '@angular/core';
import type { ConnectionView, PhoneNumberView, TenantRealtimeEvent, WhatsAppStatusView } from '@waba/contracts';
import { wabaNeedsReconnect } from '@waba/contracts/status';
import { CLOCK } from '../core/clock';
import { messageOf } from '../core/http/api-error';
import { RealtimeService } from '../core/realtime/realtime.service';
import { SessionService } from '../core/session/session.service';
import { WhatsappService } from './whatsapp.service';

/**
 * The tenant's WABAs and numbers as one signal, shared by the WhatsApp page and the shell's
 * indicator, kept current by realtime events (another tab's change shows up without a reload).
 */
@Injectable({ providedIn: 'root' })
export class WhatsappStateService {
  private readonly api = inject(WhatsappService);
  private readonly now = inject(CLOCK);
  private readonly session = inject(SessionService);
  private readonly current = signal<WhatsAppStatusView | null>(null);
  private readonly loadingState = signal(false);
  private readonly errorState = signal<string | null>(null);
  private pending: Promise<void> | null = null;
  /** Set when something changed while a request was in flight: its answer may be older, so ask again. */
  private stale = false;

  readonly status = this.current.asReadonly();
  readonly loading = this.loadingState.asReadonly();
  readonly error = this.errorState.asReadonly();
  readonly wabas = computed(() => this.current()?.wabas ?? []);
  readonly hasAnything = computed(() => this.wabas().length > 0);
  readonly needsReconnect = computed(() => this.wabas().some((waba) => wabaNeedsReconnect(waba, this.now())));

  constructor() {
    // Another person may sign in next in this tab: nothing of this tenant's may stay behind.
    effect(() => {
      if (!this.session.isSignedIn()) {
        untracked(() => {
          this.current.set(null);
          this.errorState.set(null);
        });
      }
    });
    const subscription = inject(RealtimeService).events$.subscribe((event) => this.apply(event));
    inject(DestroyRef).onDestroy(() => subscription.unsubscribe());
  }

  /** Loads once; later callers share the answer (the realtime feed keeps it current). */
  ensureLoaded(): Promise<void> {
    if (this.current()) {
      return Promise.resolve();
    }
    return this.reload();
  }

  /** Fresh data for a page being opened: joins a request already under way instead of repeating it. */
  refresh(): Promise<void> {
    return this.pending ?? this.reload();
  }

  /** Asks again; when a request is already under way, its answer may predate a change, so another follows. */
  reload(): Promise<void> {
    if (this.pending) {
      this.stale = true;
      return this.pending;
    }
    this.pending = this.fetch().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /** Takes a fresh status from a write that answered with one (disconnect). */
  set(status: WhatsAppStatusView): void {
    this.stale = this.pending !== null;
    this.current.set(status);
    this.errorState.set(null);
  }

  /** Merges one realtime event into the state. */
  apply(event: TenantRealtimeEvent): void {
    switch (event.type) {
      case 'phone-number.updated':
        this.mergeNumber(event.phoneNumber);
        return;
      case 'connection.updated':
        this.mergeConnection(event.connection);
        return;
      case 'whatsapp.changed':
        if (this.session.isSignedIn()) {
          void this.reload();
        }
        return;
      default:
        return;
    }
  }

  /** Replaces a number in place (e.g. after "Test connection"). */
  mergeNumber(number: PhoneNumberView): void {
    const status = this.current();
    const known = status?.wabas.some((waba) => waba.numbers.some((n) => n.phoneNumberId === number.phoneNumberId));
    if (!status || !known) {
      // A number we have not seen: the list around it changed too, so ask for all of it.
      if (status) {
        void this.reload();
      }
      return;
    }
    this.stale ||= this.pending !== null;
    const wabas = status.wabas.map((waba) => ({
      ...waba,
      numbers: waba.numbers.map((n) => (n.phoneNumberId === number.phoneNumberId ? number : n)),
    }));
    const activePhoneNumberId = number.isActive ? number.phoneNumberId : status.activePhoneNumberId === number.phoneNumberId ? null : status.activePhoneNumberId;
    // Only one number is active: making one active clears the flag elsewhere.
    const normalized = number.isActive
      ? wabas.map((waba) => ({
          ...waba,
          numbers: waba.numbers.map((n) => (n.phoneNumberId === number.phoneNumberId ? n : { ...n, isActive: false })),
        }))
      : wabas;
    this.current.set({
      connected: normalized.some((waba) => waba.numbers.some((n) => n.state === 'connected')),
      activePhoneNumberId,
      wabas: normalized,
    });
  }

  private mergeConnection(connection: ConnectionView): void {
    const status = this.current();
    if (!status) {
      return;
    }
    this.stale ||= this.pending !== null;
    this.current.set({
      ...status,
      wabas: status.wabas.map((waba) => (waba.connection?.id === connection.id ? { ...waba, connection } : waba)),
    });
  }

  private async fetch(): Promise<void> {
    this.loadingState.set(true);
    try {
      let status: WhatsAppStatusView;
      do {
        this.stale = false;
        status = await this.api.status();
      } while (this.stale);
      this.current.set(status);
      this.errorState.set(null);
    } catch (error) {
      this.errorState.set(messageOf(error));
    } finally {
      this.loadingState.set(false);
    }
  }
}
