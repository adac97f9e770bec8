import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { EmbeddedSignupSessionInfo, SignupLinkProgressRequest, SignupLinkPublicView } from '@waba/contracts';
import { firstValueFrom } from 'rxjs';
import { SessionService } from '../core/session/session.service';

const BASE = '/api/signup-links/holder';

/** The link holder's side, without an account: every call carries the link's token in the body. */
@Injectable({ providedIn: 'root' })
export class SignupLinkHolderService {
  private readonly http = inject(HttpClient);
  private readonly session = inject(SessionService);

  async open(token: string): Promise<SignupLinkPublicView> {
    // A link opened in a fresh browser: asking who is signed in also hands it the CSRF cookie the POST needs.
    await this.session.ensureLoaded().catch(() => null);
    return firstValueFrom(this.http.post<SignupLinkPublicView>(`${BASE}/open`, { token }));
  }

  report(request: SignupLinkProgressRequest): Promise<SignupLinkPublicView> {
    return firstValueFrom(this.http.post<SignupLinkPublicView>(`${BASE}/progress`, request));
  }

  finish(token: string, code: string, sessionInfo?: EmbeddedSignupSessionInfo): Promise<SignupLinkPublicView> {
    return firstValueFrom(this.http.post<SignupLinkPublicView>(`${BASE}/finish`, { token, code, ...(sessionInfo ? { sessionInfo } : {}) }));
  }

  confirm(token: string, phoneNumberIds: string[]): Promise<SignupLinkPublicView> {
    return firstValueFrom(this.http.post<SignupLinkPublicView>(`${BASE}/confirm`, { token, phoneNumberIds }));
  }
}
