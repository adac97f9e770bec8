import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { OnboardingSessionView } from '@waba/contracts';
import { buttonNamed } from '../../testing/dom';
import { apiError, createOnboardingNumber, createOnboardingSession, createStatus } from '../../testing/factories';
import { provideFakeRealtime } from '../../testing/realtime';
import { apiErrorInterceptor } from '../core/http/api-error.interceptor';
import { OnboardingPickerComponent } from './onboarding-picker.component';

@Component({
  selector: 'app-picker-host',
  imports: [OnboardingPickerComponent],
  template: `<app-onboarding-picker [session]="session()" (sessionChange)="session.set($event)" />`,
})
class PickerHost {
  readonly session = signal<OnboardingSessionView>(createOnboardingSession([]));
}

describe('OnboardingPickerComponent', () => {
  let backend: HttpTestingController;

  function render(session: OnboardingSessionView) {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([apiErrorInterceptor])), provideHttpClientTesting(), ...provideFakeRealtime().providers],
    });
    backend = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(PickerHost);
    fixture.componentInstance.session.set(session);
    fixture.detectChanges();
    return fixture;
  }

  afterEach(() => backend.verify());

  const checkbox = (root: HTMLElement, phone: string) => {
    const item = Array.from(root.querySelectorAll('li')).find((li) => li.textContent?.includes(phone));
    const input = item?.querySelector<HTMLInputElement>('input[type="checkbox"]');
    if (!input) throw new Error(`No checkbox for ${phone}`);
    return input;
  };

  const acme = () =>
    createOnboardingSession(
      [
        {
          name: 'Acme Bakery',
          numbers: [
            createOnboardingNumber({ phoneNumberId: '1', displayPhone: '+1 555-010-0199' }),
            createOnboardingNumber({ phoneNumberId: '2', displayPhone: '+1 555-010-0142', availability: 'taken' }),
          ],
        },
        {
          name: 'Acme Bakery Marketing',
          numbers: [
            createOnboardingNumber({ phoneNumberId: '3', displayPhone: '+1 555-010-0177', qualityRating: 'RED' }),
            createOnboardingNumber({ phoneNumberId: '4', displayPhone: '+1 555-010-0111', availability: 'connected_here' }),
          ],
        },
      ],
      { id: 'session-acme' },
    );

  it('groups numbers by WABA and shows availability, quality and name status', () => {
    const fixture = render(acme());
    const root = fixture.nativeElement as HTMLElement;

    expect(Array.from(root.querySelectorAll('legend')).map((l) => l.textContent?.trim().split(' ·')[0])).toEqual(['Acme Bakery', 'Acme Bakery Marketing']);
    const text = root.textContent ?? '';
    expect(text).toContain('Connected to another WABA Connect workspace');
    expect(text).toContain('Already connected here');
    expect(text).toContain('Quality: low');
    expect(text).toContain('Name: approved');
    expect(checkbox(root, '+1 555-010-0142').disabled).toBe(true);
    expect(checkbox(root, '+1 555-010-0199').disabled).toBe(false);
    expect(checkbox(root, '+1 555-010-0199').checked).toBe(false);
  });

  it('starts with the numbers already connected here ticked, so a reconnect moves them to the new consent', async () => {
    const fixture = render(acme());
    const root = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();

    expect(checkbox(root, '+1 555-010-0111').checked).toBe(true);
    expect(checkbox(root, '+1 555-010-0111').disabled).toBe(false);
    buttonNamed(fixture, 'Reconnect 1 number').click();

    const request = backend.expectOne('/api/integrations/whatsapp/onboarding/session-acme/confirm');
    expect(request.request.body).toEqual({ phoneNumberIds: ['4'] });
    request.flush(acme());
    (await vi.waitFor(() => backend.expectOne('/api/integrations/whatsapp/oauth/status'))).flush(createStatus([]));
  });

  it('confirms the numbers picked across both WABAs and reports them connected', async () => {
    const fixture = render(acme());
    const root = fixture.nativeElement as HTMLElement;
    checkbox(root, '+1 555-010-0199').click();
    checkbox(root, '+1 555-010-0177').click();
    await fixture.whenStable();

    buttonNamed(fixture, 'Connect 2 new and reconnect 1').click();
    const request = backend.expectOne('/api/integrations/whatsapp/onboarding/session-acme/confirm');
    expect(request.request.body).toEqual({ phoneNumberIds: ['4', '1', '3'] });
    const done = acme();
    done.status = 'completed';
    done.wabas[0].numbers[0].outcome = { state: 'connected' };
    done.wabas[1].numbers[0].outcome = { state: 'connected' };
    request.flush({ ...done, id: 'session-acme' });
    (await vi.waitFor(() => backend.expectOne('/api/integrations/whatsapp/oauth/status'))).flush(createStatus([]));

    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(root.querySelector('[role="status"]')?.textContent).toContain('Connected: 2 numbers are ready to use.');
    });
  });

  it('shows why a number failed and retries only the failed ones', async () => {
    const session = acme();
    session.status = 'partial';
    session.wabas[0].numbers[0].outcome = { state: 'connected' };
    session.wabas[1].numbers[0].outcome = { state: 'failed', message: 'Registering the number failed: PIN mismatch' };
    const fixture = render(session);
    const root = fixture.nativeElement as HTMLElement;

    expect(root.textContent).toContain('Registering the number failed: PIN mismatch');
    expect(root.querySelector('[role="status"]')?.textContent).toContain('1 number could not be connected');
    buttonNamed(fixture, 'Retry the failed number').click();

    const request = backend.expectOne('/api/integrations/whatsapp/onboarding/session-acme/confirm');
    expect(request.request.body).toEqual({ phoneNumberIds: ['3'] });
    request.flush(apiError(502, 'Meta is unavailable'), { status: 502, statusText: 'Bad Gateway' });
    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(root.querySelector('[role="alert"]')?.textContent).toContain('Meta is unavailable');
    });
  });

  it('sends nothing until a number is picked', async () => {
    const session = acme();
    session.wabas[1].numbers[1].availability = 'available';
    session.preselectedPhoneNumberIds = [];
    const fixture = render(session);
    await fixture.whenStable();

    expect(buttonNamed(fixture, 'Connect selected number').disabled).toBe(true);
  });

  it('says so when every number the consent shares is already connected, instead of offering to connect them', async () => {
    const connected = (id: string, phone: string) => createOnboardingNumber({ phoneNumberId: id, displayPhone: phone, availability: 'connected_here' });
    const fixture = render(
      createOnboardingSession([
        { numbers: [connected('1', '+1 555-010-0101'), connected('2', '+1 555-010-0102')] },
        { numbers: [connected('3', '+1 555-010-0103'), connected('4', '+1 555-010-0104')] },
      ]),
    );
    const root = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();

    expect(root.querySelector('[data-testid="picker-summary"]')?.textContent).toContain('All 4 numbers this consent shares are already connected.');
    expect(root.textContent).not.toMatch(/Connect 4 numbers/);
    expect(buttonNamed(fixture, 'Reconnect 4 numbers').disabled).toBe(false);
  });

  it('says how many numbers are new when some are connected here or elsewhere', () => {
    const fixture = render(acme());
    expect((fixture.nativeElement as HTMLElement).querySelector('[data-testid="picker-summary"]')?.textContent).toContain(
      'Meta shared 4 numbers in 2 WhatsApp Business Accounts: 2 are new, 1 is already connected here and 1 is connected to another WABA Connect workspace.',
    );
  });

  it('starts with the number being reconnected ticked, as the API pre-selected it', async () => {
    const session = acme();
    session.preselectedPhoneNumberIds = ['1'];
    session.reconnectPhoneNumberId = '1';
    const fixture = render(session);
    const root = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();

    expect(checkbox(root, '+1 555-010-0199').checked).toBe(true);
    expect(checkbox(root, '+1 555-010-0111').checked).toBe(false);
    expect(buttonNamed(fixture, 'Connect selected number').disabled).toBe(false);
  });
});
