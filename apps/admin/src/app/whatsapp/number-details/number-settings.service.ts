import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { BusinessProfileView, DisplayNameView, NumberSettingsView, PinChangedView, UpdateBusinessProfileRequest } from '@waba/contracts';
import { firstValueFrom } from 'rxjs';

const base = (phoneNumberId: string) => `/api/phone-numbers/${encodeURIComponent(phoneNumberId)}`;

/** The number details page's API: profile, photo, display name, PIN. */
@Injectable({ providedIn: 'root' })
export class NumberSettingsService {
  private readonly http = inject(HttpClient);

  settings(phoneNumberId: string): Promise<NumberSettingsView> {
    return firstValueFrom(this.http.get<NumberSettingsView>(`${base(phoneNumberId)}/settings`));
  }

  updateProfile(phoneNumberId: string, changes: UpdateBusinessProfileRequest): Promise<BusinessProfileView> {
    return firstValueFrom(this.http.put<BusinessProfileView>(`${base(phoneNumberId)}/profile`, changes));
  }

  /** The file itself is the body; the API hands it to Meta's upload. */
  uploadPhoto(phoneNumberId: string, file: File): Promise<BusinessProfileView> {
    return firstValueFrom(this.http.post<BusinessProfileView>(`${base(phoneNumberId)}/profile/photo`, file, { headers: { 'Content-Type': file.type || 'application/octet-stream' } }));
  }

  requestDisplayName(phoneNumberId: string, name: string): Promise<DisplayNameView> {
    return firstValueFrom(this.http.post<DisplayNameView>(`${base(phoneNumberId)}/display-name`, { name }));
  }

  reregister(phoneNumberId: string): Promise<DisplayNameView> {
    return firstValueFrom(this.http.post<DisplayNameView>(`${base(phoneNumberId)}/display-name/reregister`, null));
  }

  changePin(phoneNumberId: string, pin: string, password: string): Promise<PinChangedView> {
    return firstValueFrom(this.http.post<PinChangedView>(`${base(phoneNumberId)}/pin`, { pin, password }));
  }
}
