import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, OnInit, signal } from '@angular/core';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { CoexistenceSyncPartView, CoexistenceSyncState, CoexistenceSyncView } from '@waba/contracts';
import { firstValueFrom } from 'rxjs';
import { RealtimeService } from '../core/realtime/realtime.service';

const STATE_WORDS: Readonly<Record<CoexistenceSyncState, string>> = {
  waiting: 'About to be asked for',
  requested: 'Asked for; WhatsApp is sending it',
  receiving: 'Arriving',
  complete: 'Done',
  declined: 'Not shared by the business',
  expired: 'Too late to ask',
  failed: 'Could not be synced',
};

/**
 * Numbers on the WhatsApp Business app: how far the one-time sync of the app's contacts and chat
 * history has come, kept live from the server's `coexistence.updated` events.
 */
@Component({
  selector: 'app-coexistence-sync',
  imports: [MatProgressBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (syncs().length > 0) {
      <section class="coexistence-sync" aria-labelledby="coexistence-sync-title" data-testid="coexistence-sync">
        <h2 id="coexistence-sync-title">WhatsApp Business app numbers</h2>
        <p class="app-muted">These numbers also work in the WhatsApp Business app. Sending from here is limited to 20 messages per second.</p>
        @for (sync of syncs(); track sync.phoneNumberId) {
          <article class="sync" [attr.data-testid]="'coexistence-' + sync.phoneNumberId" [attr.aria-label]="'Sync of ' + sync.displayPhone">
            <h3>{{ sync.displayPhone }}</h3>
            <p>
              <strong>Contacts:</strong> {{ words(sync.contacts) }}
              @if (sync.contacts.state === 'complete') {
                ({{ sync.contacts.received }} in the address book)
              }
            </p>
            @if (sync.contacts.error) {
              <p class="app-muted">{{ sync.contacts.error }}</p>
            }
            <p>
              <strong>Chat history:</strong> {{ words(sync.history) }}
              @if (sync.history.state === 'receiving' || sync.history.state === 'complete') {
                ({{ sync.history.progress }}%, {{ sync.history.messages }} messages so far)
              }
            </p>
            @if (sync.history.state === 'receiving' || sync.history.state === 'requested') {
              <mat-progress-bar mode="determinate" [value]="sync.history.progress" [attr.aria-label]="'Chat history of ' + sync.displayPhone + ': ' + sync.history.progress + '%'" />
            }
            @if (sync.history.error) {
              <p class="app-muted">{{ sync.history.error }}</p>
            }
            @if (sync.echoes > 0) {
              <p class="app-muted">{{ sync.echoes }} message{{ sync.echoes === 1 ? '' : 's' }} sent from the app since connecting.</p>
            }
          </article>
        }
      </section>
    }
  `,
  styles: `
    .coexistence-sync {
      margin-block: 1.5rem;
    }
    .sync h3 {
      margin-block-end: 0.25rem;
    }
  `,
})
export class CoexistenceSyncComponent implements OnInit {
  private readonly http = inject(HttpClient);
  protected readonly syncs = signal<CoexistenceSyncView[]>([]);

  constructor() {
    const subscription = inject(RealtimeService).events$.subscribe((event) => {
      if (event.type !== 'coexistence.updated') return;
      const others = this.syncs().filter((s) => s.phoneNumberId !== event.sync.phoneNumberId);
      this.syncs.set([...others, event.sync].sort((a, b) => a.displayPhone.localeCompare(b.displayPhone)));
    });
    inject(DestroyRef).onDestroy(() => subscription.unsubscribe());
  }

  ngOnInit(): void {
    firstValueFrom(this.http.get<CoexistenceSyncView[]>('/api/phone-numbers/coexistence'))
      .then((list) => this.syncs.set(list))
      .catch(() => undefined); // the page shows its own loading errors; this section simply stays hidden
  }

  protected words(part: CoexistenceSyncPartView): string {
    return STATE_WORDS[part.state];
  }
}
