import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { InvitationPreview, SessionView } from '@waba/contracts';
import { firstValueFrom } from 'rxjs';
import { SessionService } from '../core/session/session.service';

/** The invitee's side of an invitation: look at it, then accept it (which signs them in). */
@Injectable({ providedIn: 'root' })
export class InvitationService {
  private readonly http = inject(HttpClient);
  private readonly session = inject(SessionService);

  async preview(token: string): Promise<InvitationPreview> {
    // A link opened in a fresh browser: asking who is signed in also hands it the CSRF cookie the POST needs.
    await this.session.ensureLoaded().catch(() => null);
    return firstValueFrom(this.http.post<InvitationPreview>('/api/invitations/preview', { token }));
  }

  async accept(token: string, name: string, password: string): Promise<SessionView> {
    const view = await firstValueFrom(this.http.post<SessionView>('/api/invitations/accept', { token, name, password }));
    // The API set the new session's cookies; the session service learns about it like after a reload.
    await this.session.load();
    return view;
  }
}
