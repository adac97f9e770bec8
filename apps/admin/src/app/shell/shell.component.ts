import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, inject, signal, viewChild } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatListModule } from '@angular/material/list';
import { MatSidenav, MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { filter, map } from 'rxjs';
import { messageOf } from '../core/http/api-error';
import { NotificationService } from '../core/notify/notification.service';
import { RealtimeService } from '../core/realtime/realtime.service';
import { SessionService } from '../core/session/session.service';
import { WhatsappStateService } from '../whatsapp/whatsapp-state.service';

interface NavLink {
  path: string;
  label: string;
}

/** Narrower than this, the side navigation folds away behind a menu button. */
const NARROW_SCREEN = '(max-width: 959.98px)';

/** The signed-in frame: toolbar, navigation, and the page in the middle. */
@Component({
  selector: 'app-shell',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, MatToolbarModule, MatSidenavModule, MatListModule, MatButtonModule],
  templateUrl: './shell.component.html',
  styleUrl: './shell.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ShellComponent {
  private readonly session = inject(SessionService);
  private readonly router = inject(Router);
  private readonly notifications = inject(NotificationService);
  private readonly main = viewChild<ElementRef<HTMLElement>>('main');
  private readonly sidenav = viewChild(MatSidenav);

  private readonly whatsapp = inject(WhatsappStateService);

  protected readonly user = this.session.user;
  /** Any credential Meta stopped accepting: a small link to the WhatsApp page's Reconnect. */
  protected readonly needsReconnect = this.whatsapp.needsReconnect;
  protected readonly account = this.session.account;
  protected readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe(NARROW_SCREEN)
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly loggingOut = signal(false);
  protected readonly links: readonly NavLink[] = [
    { path: '/overview', label: 'Overview' },
    { path: '/whatsapp', label: 'WhatsApp' },
    { path: '/templates', label: 'Templates' },
    { path: '/events', label: 'Events' },
    { path: '/settings', label: 'Settings' },
  ];

  constructor() {
    // The live feed runs while someone is signed in (it opens and closes with the session).
    inject(RealtimeService);
    void this.whatsapp.ensureLoaded();
    // After moving between pages, start keyboard and screen-reader users at the new content.
    // A change of query parameters only (a filter, the picker) is not a new page: focus stays.
    let lastPath: string | null = null;
    this.router.events
      .pipe(
        filter((event): event is NavigationEnd => event instanceof NavigationEnd),
        filter((event) => {
          const path = event.urlAfterRedirects.split(/[?#]/)[0];
          const changed = path !== lastPath;
          lastPath = path;
          return changed;
        }),
        takeUntilDestroyed(inject(DestroyRef)),
      )
      .subscribe(() => {
        if (this.narrow()) {
          void this.sidenav()?.close();
        }
        this.main()?.nativeElement.focus({ preventScroll: true });
      });
  }

  protected skipToMain(event: Event): void {
    event.preventDefault();
    this.main()?.nativeElement.focus();
  }

  protected async logout(): Promise<void> {
    if (this.loggingOut()) {
      return;
    }
    this.loggingOut.set(true);
    try {
      await this.session.logout();
      await this.router.navigate(['/login']);
    } catch (error) {
      this.notifications.showError(messageOf(error));
    } finally {
      this.loggingOut.set(false);
    }
  }
}
