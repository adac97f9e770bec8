import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, OnInit, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatTableModule } from '@angular/material/table';
import type { CreatedInvitationView, InvitationView, UserRole, UserView } from '@waba/contracts';
import { roleInASentence, roleLabel } from '@waba/contracts/account-rules';
import { detailsOf, messageOf } from '../core/http/api-error';
import { NotificationService } from '../core/notify/notification.service';
import { SessionService } from '../core/session/session.service';
import { FormErrorComponent } from '../shared/ui/form-error.component';
import { ChangePasswordFormComponent } from './change-password-form.component';
import { InviteUserFormComponent } from './invite-user-form.component';
import { SettingsService } from './settings.service';

@Component({
  selector: 'app-settings-page',
  imports: [DatePipe, MatTableModule, MatCardModule, MatButtonModule, FormErrorComponent, InviteUserFormComponent, ChangePasswordFormComponent],
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
  protected readonly invitations = signal<InvitationView[]>([]);
  protected readonly lastInvitation = signal<CreatedInvitationView | null>(null);
  protected readonly loading = signal(false);
  protected readonly loadError = signal<string | null>(null);
  protected readonly actionError = signal<string | null>(null);
  protected readonly actionErrorDetails = signal<readonly string[]>([]);
  protected readonly busyUserId = signal<string | null>(null);
  protected readonly columns = computed(() => (this.isOwner() ? ['name', 'email', 'role', 'actions'] : ['name', 'email', 'role']));
  protected readonly invitationColumns = ['email', 'role', 'expires', 'actions'];

  ngOnInit(): void {
    void this.loadUsers();
  }

  protected async loadUsers(): Promise<void> {
    this.loading.set(true);
    this.loadError.set(null);
    try {
      const [users, invitations] = await Promise.all([this.settings.listUsers(), this.isOwner() ? this.settings.listInvitations() : Promise.resolve([])]);
      this.users.set(users);
      this.invitations.set(invitations);
    } catch (error) {
      this.loadError.set(messageOf(error));
    } finally {
      this.loading.set(false);
    }
  }

  protected roleLabel(role: UserRole): string {
    return roleLabel(role);
  }

  protected onInvited(invitation: CreatedInvitationView): void {
    this.lastInvitation.set(invitation);
    this.invitations.update((list) => [...list.filter((i) => i.email !== invitation.email), invitation]);
    this.notifications.showSuccess(invitation.emailed ? `Invitation emailed to ${invitation.email}.` : `Invitation for ${invitation.email} created.`);
  }

  protected async copyLink(link: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(link);
      this.notifications.showSuccess('Link copied.');
    } catch {
      this.notifications.showError('Could not copy: select the link and copy it yourself.');
    }
  }

  protected async changeRole(user: UserView, select: HTMLSelectElement): Promise<void> {
    await this.act(
      user.id,
      async () => {
        const updated = await this.settings.changeRole(user.id, select.value as UserRole);
        this.users.update((users) => users.map((u) => (u.id === updated.id ? updated : u)));
        this.notifications.showSuccess(`${updated.name} is now ${roleInASentence(updated.role)}.`);
        if (updated.id === this.currentUserId()) await this.session.load();
      },
      // Refused: the select goes back to the role the user still has.
      () => (select.value = user.role),
    );
  }

  protected async remove(user: UserView): Promise<void> {
    if (!window.confirm(`Remove ${user.name} (${user.email})? They are signed out at once.`)) return;
    await this.act(user.id, async () => {
      await this.settings.removeUser(user.id);
      this.users.update((users) => users.filter((u) => u.id !== user.id));
      this.notifications.showSuccess(`${user.name} was removed.`);
      if (user.id === this.currentUserId()) await this.session.load().catch(() => null);
    });
  }

  protected async revoke(invitation: InvitationView): Promise<void> {
    await this.act(invitation.id, async () => {
      await this.settings.revokeInvitation(invitation.id);
      this.invitations.update((list) => list.filter((i) => i.id !== invitation.id));
      if (this.lastInvitation()?.id === invitation.id) this.lastInvitation.set(null);
      this.notifications.showSuccess(`The invitation for ${invitation.email} was withdrawn; its link no longer works.`);
    });
  }

  protected onPasswordChanged(): void {
    this.notifications.showSuccess('Password changed. Your other sessions were signed out.');
  }

  /** One action at a time per row; its error shows above the tables. */
  private async act(id: string, run: () => Promise<void>, undo?: () => void): Promise<void> {
    this.busyUserId.set(id);
    this.actionError.set(null);
    this.actionErrorDetails.set([]);
    try {
      await run();
    } catch (error) {
      this.actionError.set(messageOf(error));
      this.actionErrorDetails.set(detailsOf(error));
      undo?.();
    } finally {
      this.busyUserId.set(null);
    }
  }
}
