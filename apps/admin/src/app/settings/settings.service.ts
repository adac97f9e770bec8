import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { ChangePasswordRequest, CreatedInvitationView, CreateInvitationRequest, InvitationView, UserRole, UserView } from '@waba/contracts';
import { firstValueFrom } from 'rxjs';

/** The settings page's API: the tenant's users and invitations, and the signed-in user's password. */
@Injectable({ providedIn: 'root' })
export class SettingsService {
  private readonly http = inject(HttpClient);

  listUsers(): Promise<UserView[]> {
    return firstValueFrom(this.http.get<UserView[]>('/api/accounts/users'));
  }

  // Owners only below (the API answers 403 to anyone else), but for the password.

  listInvitations(): Promise<InvitationView[]> {
    return firstValueFrom(this.http.get<InvitationView[]>('/api/accounts/invitations'));
  }

  invite(request: CreateInvitationRequest): Promise<CreatedInvitationView> {
    return firstValueFrom(this.http.post<CreatedInvitationView>('/api/accounts/invitations', request));
  }

  revokeInvitation(id: string): Promise<void> {
    return firstValueFrom(this.http.delete<void>(`/api/accounts/invitations/${encodeURIComponent(id)}`));
  }

  changeRole(userId: string, role: UserRole): Promise<UserView> {
    return firstValueFrom(this.http.patch<UserView>(`/api/accounts/users/${encodeURIComponent(userId)}`, { role }));
  }

  removeUser(userId: string): Promise<void> {
    return firstValueFrom(this.http.delete<void>(`/api/accounts/users/${encodeURIComponent(userId)}`));
  }

  changePassword(request: ChangePasswordRequest): Promise<void> {
    return firstValueFrom(this.http.post<void>('/api/auth/password', request));
  }
}
