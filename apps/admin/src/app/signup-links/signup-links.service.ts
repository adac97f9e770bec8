import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { CreatedSignupLinkView, CreateSignupLinkRequest, SignupLinkView } from '@waba/contracts';
import { firstValueFrom } from 'rxjs';

const BASE = '/api/signup-links';

/** The admin's signup links: create (the link is shown once), list, revoke. */
@Injectable({ providedIn: 'root' })
export class SignupLinksService {
  private readonly http = inject(HttpClient);

  list(): Promise<SignupLinkView[]> {
    return firstValueFrom(this.http.get<SignupLinkView[]>(BASE));
  }

  create(request: CreateSignupLinkRequest): Promise<CreatedSignupLinkView> {
    return firstValueFrom(this.http.post<CreatedSignupLinkView>(BASE, request));
  }

  revoke(id: string): Promise<SignupLinkView> {
    return firstValueFrom(this.http.post<SignupLinkView>(`${BASE}/${encodeURIComponent(id)}/revoke`, {}));
  }
}
