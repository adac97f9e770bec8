import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import type { SignupLinkView } from '@waba/contracts';
import { buttonNamed } from '../../testing/dom';
import { provideFakeRealtime } from '../../testing/realtime';
import { apiErrorInterceptor } from '../core/http/api-error.interceptor';
import { RealtimeService } from '../core/realtime/realtime.service';
import { SignupLinksSectionComponent } from './signup-links-section.component';

function aLink(overrides: Partial<SignupLinkView> = {}): SignupLinkView {
  return {
    id: 'link-1',
    state: 'created',
    stateLabel: 'Not opened yet',
    explanation: 'Send the link to the person who owns the Meta business.',
    note: 'Maria',
    holderPicks: false,
    createdByName: 'Ada',
    createdAt: '2026-03-01T00:00:00.000Z',
    expiresAt: '2026-03-02T00:00:00.000Z',
    openedAt: null,
    usedAt: null,
    revokedAt: null,
    cancelledAtStep: null,
    lastError: null,
    onboardingSessionId: null,
    progress: [{ step: 'created', at: '2026-03-01T00:00:00.000Z', detail: null }],
    ...overrides,
  };
}

describe('SignupLinksSectionComponent', () => {
  let backend: HttpTestingController;

  async function render(links: SignupLinkView[]) {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([apiErrorInterceptor])), provideHttpClientTesting(), ...provideFakeRealtime().providers],
    });
    backend = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(SignupLinksSectionComponent);
    fixture.detectChanges();
    backend.expectOne('/api/signup-links').flush(links);
    await settle(fixture);
    return fixture;
  }

  async function settle(fixture: Awaited<ReturnType<typeof render>> | ReturnType<typeof TestBed.createComponent>) {
    await fixture.whenStable();
    fixture.detectChanges();
  }

  const textOf = (fixture: Awaited<ReturnType<typeof render>>) => ((fixture.nativeElement as HTMLElement).textContent ?? '').replace(/\s+/g, ' ');

  afterEach(() => backend.verify());

  it('follows a link live: a pushed update changes its state and progress without reloading', async () => {
    const fixture = await render([aLink()]);
    expect(textOf(fixture)).toContain('Link for Maria');
    expect(textOf(fixture)).toContain('Not opened yet');
    TestBed.inject(RealtimeService).dispatch({
      type: 'signup-link.updated',
      link: aLink({
        state: 'cancelled',
        stateLabel: 'Cancelled',
        explanation: 'They closed Meta’s window at the “phone number setup” step.',
        progress: [
          { step: 'created', at: '2026-03-01T00:00:00.000Z', detail: null },
          { step: 'cancelled', at: '2026-03-01T00:01:00.000Z', detail: 'Closed at the “phone number setup” step' },
        ],
      }),
    });
    await settle(fixture);
    expect(textOf(fixture)).toContain('Cancelled');
    expect(textOf(fixture)).toContain('Cancelled: Closed at the “phone number setup” step');
    expect(textOf(fixture)).not.toContain('Not opened yet');
  });

  it('creates a link with the chosen expiry and shows it once', async () => {
    const fixture = await render([]);
    buttonNamed(fixture, 'Create a signup link').click();
    await settle(fixture);
    const root = fixture.nativeElement as HTMLElement;
    const select = root.querySelector<HTMLSelectElement>('select') as HTMLSelectElement;
    select.value = '7d';
    select.dispatchEvent(new Event('change'));
    buttonNamed(fixture, 'Create link').click();
    const create = backend.expectOne('/api/signup-links');
    expect(create.request.method).toBe('POST');
    expect(create.request.body).toEqual({ expiresIn: '7d', holderPicks: false });
    create.flush({ ...aLink({ note: null }), link: 'https://waba.example/signup-link#secret-token' }, { status: 201, statusText: 'Created' });
    await vi.waitFor(async () => {
      await settle(fixture);
      expect(root.querySelector<HTMLInputElement>('input[readonly]')?.value).toBe('https://waba.example/signup-link#secret-token');
    });
    expect(textOf(fixture)).toContain('it is shown only this once');
    // "Done" hides it for good: nothing else on the page keeps the link.
    buttonNamed(fixture, 'Done').click();
    await settle(fixture);
    expect(root.innerHTML).not.toContain('secret-token');
  });

  it('opens the WhatsApp page’s picker for a finished link, and revokes a live one', async () => {
    const fixture = await render([aLink({ id: 'done', note: 'Omar', state: 'finished', stateLabel: 'Pick the numbers', onboardingSessionId: 'session-9' }), aLink()]);
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    buttonNamed(fixture, 'Pick the numbers').click();
    expect(navigate).toHaveBeenCalledWith(['/whatsapp'], { queryParams: { onboarding: 'session-9' } });

    buttonNamed(fixture, 'Revoke').click();
    const revoke = backend.expectOne('/api/signup-links/link-1/revoke');
    revoke.flush(aLink({ state: 'revoked', stateLabel: 'Revoked' }));
    await vi.waitFor(async () => {
      await settle(fixture);
      expect(textOf(fixture)).toContain('Revoked');
    });
    expect(() => buttonNamed(fixture, 'Revoke')).toThrow();
  });
});
