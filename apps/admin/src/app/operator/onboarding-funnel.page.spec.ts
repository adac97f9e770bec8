import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import type { OnboardingFunnelView } from '@waba/contracts';
import { apiErrorInterceptor } from '../core/http/api-error.interceptor';
import { OnboardingFunnelPage } from './onboarding-funnel.page';

const FUNNEL: OnboardingFunnelView = {
  from: '2026-11-01T00:00:00.000Z',
  to: '2026-12-01T00:00:00.000Z',
  attempts: 4,
  workspaces: 3,
  steps: [
    { step: 'started', label: 'Started', attempts: 4 },
    { step: 'consent_finished', label: "Finished Meta's consent", attempts: 2 },
    { step: 'numbers_offered', label: 'Saw numbers to pick', attempts: 2 },
    { step: 'numbers_picked', label: 'Picked numbers', attempts: 1 },
    { step: 'connected', label: 'Connected a number', attempts: 1 },
  ],
  outcomes: { in_progress: 0, completed: 1, partial: 0, cancelled: 2, failed: 1 },
  byFlow: [{ key: 'embedded_signup', label: "Meta's popup (Embedded Signup)", count: 4 }],
  cancelledAt: [{ key: 'PHONE_NUMBER_SETUP', label: 'adding a phone number', count: 2 }],
  errors: [{ key: 'meta:524126', label: 'Meta error 524126: Business already linked', count: 1 }],
};

describe('OnboardingFunnelPage', () => {
  let backend: HttpTestingController;
  let fixture: ComponentFixture<OnboardingFunnelPage>;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(withInterceptors([apiErrorInterceptor])), provideHttpClientTesting()] });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(OnboardingFunnelPage);
    fixture.detectChanges();
  });

  afterEach(() => backend.verify());

  const text = () => (fixture.nativeElement as HTMLElement).textContent ?? '';

  it('shows how far attempts got, where people left Meta and what stopped them, for the last 30 days', async () => {
    const request = backend.expectOne((r) => r.url === '/api/operator/onboarding-funnel');
    const from = Date.parse(request.request.params.get('from') ?? '');
    const to = Date.parse(request.request.params.get('to') ?? '');
    expect(Math.round((to - from) / 86_400_000)).toBe(30);
    request.flush(FUNNEL);
    await fixture.whenStable();
    fixture.detectChanges();

    expect(text()).toContain('4 attempts in 3 workspaces');
    const rows = Array.from((fixture.nativeElement as HTMLElement).querySelectorAll('[data-testid="funnel-steps"] tbody tr')).map((row) =>
      Array.from(row.children).map((cell) => cell.textContent?.trim()),
    );
    expect(rows[1]).toEqual(["Finished Meta's consent", '2', '50%']);
    expect(text()).toContain('2 while adding a phone number');
    expect(text()).toContain('1 × Meta error 524126: Business already linked');
  });

  it('says the page is for operators when the API refuses', async () => {
    backend.expectOne((r) => r.url === '/api/operator/onboarding-funnel').flush({ statusCode: 403, message: 'Operators only' }, { status: 403, statusText: 'Forbidden' });
    await fixture.whenStable();
    fixture.detectChanges();
    expect(text()).toContain('This page is for the people who run WABA Connect.');
  });
});
