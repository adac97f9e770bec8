import { ChangeDetectionStrategy, Component, computed, inject, OnInit, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatTableModule } from '@angular/material/table';
import type { UserRole, UserView } from '@waba/contracts';
import { messageOf } from '../core/http/api-error';
import { NotificationService } from '../core/notify/notification.service';
import { SessionService } from '../core/session/session.service';
import { FormErrorComponent } from '../shared/ui/form-error.component';
import { InviteAdminFormComponent } from './invite-admin-form.component';
import { SettingsService } from './settings.service';

const ROLE_LABELS: Record<UserRole, string> = { owner: 'Owner', admin: 'Admin' };

@Component({
  selector: 'app-settings-page',
  imports: [MatTableModule, MatCardModule, MatButtonModule, FormErrorComponent, InviteAdminFormComponent],
  templateUrl: './settings.page.html',
  styleUrl: './settings.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SettingsPage implements OnInit {
  private readonly settings = inject(SettingsService);
  private readonly session = inject(SessionService);
  private readonly notifications = inject(NotificationService);

  protected readonly isOwner = this.session.isOwner;
  protected readonly currentUserId = computed(() => this.session.user()?.id);
  protected readonly users = signal<UserView[]>([]);
  protected readonly loading = signal(false);
  protected readonly loadError = signal<string | null>(null);
  protected readonly columns = ['name', 'email', 'role'];

  ngOnInit(): void {
    void this.loadUsers();
  }

  protected async loadUsers(): Promise<void> {
    this.loading.set(true);
    this.loadError.set(null);
    try {
      this.users.set(await this.settings.listUsers());
    } catch (error) {
      this.loadError.set(messageOf(error));
    } finally {
      this.loading.set(false);
    }
  }

  protected roleLabel(role: UserRole): string {
    return ROLE_LABELS[role] ?? role;
  }

  protected onAdminAdded(user: UserView): void {
    this.users.update((users) => [...users, user]);
    this.notifications.showSuccess(`${user.name} can now log in as an admin.`);
  }
}
