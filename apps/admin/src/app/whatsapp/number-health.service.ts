import { HttpClient } from '@angular/common/http';
import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import type { NumberHealthListView, NumberHealthView } from '@waba/contracts';
import { firstValueFrom } from 'rxjs';
import { messageOf } from '../core/http/api-error';
import { RealtimeService } from '../core/realtime/realtime.service';

const BASE = '/api/number-health';

/**
 * "Can this number send?": the last verdict of each number, kept current by the realtime feed;
 * "Check now" and the fixes (subscribe again, register again) go through here.
 */
@Injectable({ providedIn: 'root' })
export class NumberHealthService {
  private readonly http = inject(HttpClient);
  private readonly verdicts = signal<ReadonlyMap<string, NumberHealthView>>(new Map());

  readonly checking = signal(false);
  readonly error = signal<string | null>(null);
  /** The fix under way, as `<fix>:<id>`, so its button says so and cannot be pressed twice. */
  readonly fixing = signal<string | null>(null);
  readonly all = computed(() => [...this.verdicts().values()]);

  constructor() {
    const subscription = inject(RealtimeService).events$.subscribe((event) => {
      if (event.type === 'number-health.updated') {
        this.merge([event.health]);
      }
    });
    inject(DestroyRef).onDestroy(() => subscription.unsubscribe());
  }

  of(phoneNumberId: string): NumberHealthView | undefined {
    return this.verdicts().get(phoneNumberId);
  }

  async load(): Promise<void> {
    try {
      this.replace(await firstValueFrom(this.http.get<NumberHealthListView>(BASE)));
      this.error.set(null);
    } catch (error) {
      this.error.set(messageOf(error));
    }
  }

  async checkNow(): Promise<void> {
    if (this.checking()) {
      return;
    }
    this.checking.set(true);
    this.error.set(null);
    try {
      this.replace(await firstValueFrom(this.http.post<NumberHealthListView>(`${BASE}/check`, {})));
    } catch (error) {
      this.error.set(messageOf(error));
    } finally {
      this.checking.set(false);
    }
  }

  /** Subscribe our app to the WABA again; throws the API's words on failure. */
  resubscribe(wabaId: string): Promise<void> {
    return this.fix(`resubscribe:${wabaId}`, `${BASE}/wabas/${encodeURIComponent(wabaId)}/resubscribe`);
  }

  /** Register the number again with the PIN we keep; throws the API's words on failure. */
  reRegister(phoneNumberId: string): Promise<void> {
    return this.fix(`re_register:${phoneNumberId}`, `${BASE}/${encodeURIComponent(phoneNumberId)}/re-register`);
  }

  private async fix(key: string, url: string): Promise<void> {
    this.fixing.set(key);
    try {
      this.merge(await firstValueFrom(this.http.post<NumberHealthView[]>(url, {})));
    } finally {
      this.fixing.set(null);
    }
  }

  private replace(list: NumberHealthListView): void {
    this.verdicts.set(new Map(list.numbers.map((n) => [n.phoneNumberId, n])));
  }

  private merge(views: NumberHealthView[]): void {
    this.verdicts.update((current) => {
      const next = new Map(current);
      for (const view of views) {
        next.set(view.phoneNumberId, view);
      }
      return next;
    });
  }
}
