import { ChangeDetectionStrategy, Component, computed, inject, OnInit, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { RouterLink } from '@angular/router';
import type { HealthView } from '@waba/contracts';
import { deriveNumberStatus } from '@waba/contracts/status';
import { CLOCK } from '../core/clock';
import { messageOf } from '../core/http/api-error';
import { SessionService } from '../core/session/session.service';
import { StatusBadgeComponent } from '../shared/ui/status-badge.component';
import { WhatsappStateService } from '../whatsapp/whatsapp-state.service';
import { OverviewService } from './overview.service';

@Component({
  selector: 'app-overview-page',
  imports: [RouterLink, MatCardModule, MatButtonModule, StatusBadgeComponent],
  templateUrl: './overview.page.html',
  styleUrl: './overview.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OverviewPage implements OnInit {
  private readonly overview = inject(OverviewService);
  private readonly session = inject(SessionService);
  private readonly whatsapp = inject(WhatsappStateService);
  private readonly now = inject(CLOCK);

  protected readonly user = this.session.user;
  protected readonly account = this.session.account;
  protected readonly health = signal<HealthView | null>(null);
  protected readonly healthError = signal<string | null>(null);
  protected readonly checking = signal(false);
  /** Every connected-or-not number with the one derived status (the shell keeps the state loaded). */
  protected readonly numbers = computed(() =>
    this.whatsapp.wabas().flatMap((waba) => waba.numbers.map((number) => ({ number, status: deriveNumberStatus(number, waba, this.now()) }))),
  );
  protected readonly databaseUp = computed(() => this.health()?.database.status === 'up');

  ngOnInit(): void {
    void this.checkHealth();
  }

  protected async checkHealth(): Promise<void> {
    this.checking.set(true);
    this.healthError.set(null);
    try {
      this.health.set(await this.overview.getHealth());
    } catch (error) {
      this.health.set(null);
      this.healthError.set(messageOf(error));
    } finally {
      this.checking.set(false);
    }
  }

  protected formatUptime(seconds: number): string {
    const minutes = Math.floor(seconds / 60);
    if (minutes < 1) {
      return 'less than a minute';
    }
    const hours = Math.floor(minutes / 60);
    if (hours < 1) {
      return minutes === 1 ? '1 minute' : `${minutes} minutes`;
    }
    const days = Math.floor(hours / 24);
    if (days < 1) {
      return hours === 1 ? '1 hour' : `${hours} hours`;
    }
    return days === 1 ? '1 day' : `${days} days`;
  }
}
