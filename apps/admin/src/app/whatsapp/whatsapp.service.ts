import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  AuditEntryView,
  EmbeddedSignupConfigView,
  EmbeddedSignupRequest,
  ManualPhoneNumberRequest,
  OAuthCallbackRequest,
  OAuthEndedRequest,
  OnboardingSessionView,
  PhoneNumberView,
  RegistrationBudgetView,
  RevealedPinView,
  WhatsAppStatusView,
} from '@waba/contracts';
import { firstValueFrom } from 'rxjs';

const BASE = '/api/integrations/whatsapp';

/** Where a full-page navigation starts the redirect consent flow (the API answers 302 to Meta). */
export const OAUTH_START_URL = `${BASE}/oauth/start`;

/** The WhatsApp feature's API: consent flows, the picker, numbers and the audit log. */
@Injectable({ providedIn: 'root' })
export class WhatsappService {
  private readonly http = inject(HttpClient);

  embeddedSignupConfig(): Promise<EmbeddedSignupConfigView> {
    return firstValueFrom(this.http.get<EmbeddedSignupConfigView>(`${BASE}/embedded-signup/config`));
  }

  /** Sends the SDK's code at once: it lives 30 seconds. */
  fromEmbeddedSignup(request: EmbeddedSignupRequest): Promise<OnboardingSessionView> {
    return firstValueFrom(this.http.post<OnboardingSessionView>(`${BASE}/embedded-signup`, request));
  }

  fromRedirect(request: OAuthCallbackRequest): Promise<OnboardingSessionView> {
    return firstValueFrom(this.http.post<OnboardingSessionView>(`${BASE}/oauth`, request));
  }

  /** Meta's page came back without a code: the API records how the attempt ended. */
  redirectEnded(request: OAuthEndedRequest): Promise<void> {
    return firstValueFrom(this.http.post<void>(`${BASE}/oauth/ended`, request));
  }

  importFromToken(accessToken: string): Promise<OnboardingSessionView> {
    return firstValueFrom(this.http.post<OnboardingSessionView>(`${BASE}/import`, { accessToken }));
  }

  onboarding(sessionId: string): Promise<OnboardingSessionView> {
    return firstValueFrom(this.http.get<OnboardingSessionView>(`${BASE}/onboarding/${encodeURIComponent(sessionId)}`));
  }

  confirm(sessionId: string, phoneNumberIds: string[]): Promise<OnboardingSessionView> {
    return firstValueFrom(this.http.post<OnboardingSessionView>(`${BASE}/onboarding/${encodeURIComponent(sessionId)}/confirm`, { phoneNumberIds }));
  }

  status(): Promise<WhatsAppStatusView> {
    return firstValueFrom(this.http.get<WhatsAppStatusView>(`${BASE}/oauth/status`));
  }

  /** `acceptWarning`: the person read the warning of a flagged or restricted number and chose it anyway. */
  makeActive(phoneNumberId: string, acceptWarning = false): Promise<PhoneNumberView> {
    return firstValueFrom(this.http.post<PhoneNumberView>(`/api/phone-numbers/${encodeURIComponent(phoneNumberId)}/active`, acceptWarning ? { acceptWarning } : {}));
  }

  /** Owners: the two-step PIN we set, after their password again (the only answer that carries it). */
  revealPin(phoneNumberId: string, password: string): Promise<RevealedPinView> {
    return firstValueFrom(this.http.post<RevealedPinView>(`/api/phone-numbers/${encodeURIComponent(phoneNumberId)}/pin/reveal`, { password }));
  }

  /** "Test connection": Meta's current data for the number, or a 400 saying why not. */
  refresh(phoneNumberId: string): Promise<PhoneNumberView> {
    return firstValueFrom(this.http.post<PhoneNumberView>(`/api/phone-numbers/${encodeURIComponent(phoneNumberId)}/refresh`, null));
  }

  /** Resumes a number whose connect stopped; `register` spends one of Meta's registration attempts. */
  retry(phoneNumberId: string, register = false): Promise<PhoneNumberView> {
    return firstValueFrom(this.http.post<PhoneNumberView>(`/api/phone-numbers/${encodeURIComponent(phoneNumberId)}/retry`, { register }));
  }

  registrationBudget(phoneNumberId: string): Promise<RegistrationBudgetView> {
    return firstValueFrom(this.http.get<RegistrationBudgetView>(`/api/phone-numbers/${encodeURIComponent(phoneNumberId)}/registration-budget`));
  }

  disconnectNumber(phoneNumberId: string): Promise<WhatsAppStatusView> {
    return firstValueFrom(this.http.post<WhatsAppStatusView>(`/api/phone-numbers/${encodeURIComponent(phoneNumberId)}/disconnect`, null));
  }

  disconnectWaba(wabaId: string): Promise<WhatsAppStatusView> {
    return firstValueFrom(this.http.post<WhatsAppStatusView>(`${BASE}/disconnect`, { wabaId }));
  }

  addManually(request: ManualPhoneNumberRequest): Promise<PhoneNumberView> {
    return firstValueFrom(this.http.post<PhoneNumberView>('/api/settings/phone-numbers', request));
  }

  auditLog(limit = 100, offset = 0): Promise<AuditEntryView[]> {
    return firstValueFrom(this.http.get<AuditEntryView[]>('/api/audit-log', { params: { limit, offset } }));
  }
}
