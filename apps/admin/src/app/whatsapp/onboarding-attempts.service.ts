import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { EndOnboardingAttemptRequest, OnboardingAttemptStartedView, OnboardingAttemptView, OnboardingFunnelView } from '@waba/contracts';
import { firstValueFrom } from 'rxjs';

const BASE = '/api/integrations/whatsapp/onboarding-attempts';

/** The onboarding funnel's API: the tenant's attempts, and the operators' funnel. */
@Injectable({ providedIn: 'root' })
export class OnboardingAttemptsService {
  private readonly http = inject(HttpClient);

  /** Never in the way of the popup: null when the attempt could not be recorded. */
  async start(): Promise<string | null> {
    try {
      return (await firstValueFrom(this.http.post<OnboardingAttemptStartedView>(BASE, { flow: 'embedded_signup' }))).id;
    } catch {
      return null;
    }
  }

  /** What Meta's popup said when it ended without a code; best effort, like `start`. */
  async ended(attemptId: string | null, request: EndOnboardingAttemptRequest): Promise<void> {
    if (!attemptId) return;
    await firstValueFrom(this.http.post(`${BASE}/${attemptId}/ended`, request)).catch(() => undefined);
  }

  list(limit = 10): Promise<OnboardingAttemptView[]> {
    return firstValueFrom(this.http.get<OnboardingAttemptView[]>(BASE, { params: { limit } }));
  }

  funnel(period: { from?: string; to?: string }): Promise<OnboardingFunnelView> {
    const params: Record<string, string> = {};
    if (period.from) params['from'] = period.from;
    if (period.to) params['to'] = period.to;
    return firstValueFrom(this.http.get<OnboardingFunnelView>('/api/operator/onboarding-funnel', { params }));
  }
}
