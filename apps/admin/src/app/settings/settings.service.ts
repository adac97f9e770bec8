import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { InviteAdminRequest, UserView } from '@waba/contracts';
import { firstValueFrom } from 'rxjs';

/** The settings page's API: the tenant's users. */
@Injectable({ providedIn: 'root' })
export class SettingsService {
  private readonly http = inject(HttpClient);

  listUsers(): Promise<UserView[]> {
    return firstValueFrom(this.http.get<UserView[]>('/api/accounts/users'));
  }

  /** Owners only; the API answers 403 to anyone else. */
  inviteAdmin(request: InviteAdminRequest): Promise<UserView> {
    return firstValueFrom(this.http.post<UserView>('/api/accounts/users', request));
  }
}
