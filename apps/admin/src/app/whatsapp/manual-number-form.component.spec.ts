import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { alertText, buttonNamed, byId, type } from '../../testing/dom';
import { apiError, createPhoneNumber } from '../../testing/factories';
import { apiErrorInterceptor } from '../core/http/api-error.interceptor';
import { ManualNumberFormComponent } from './manual-number-form.component';

describe('ManualNumberFormComponent', () => {
  let backend: HttpTestingController;

  function render() {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([apiErrorInterceptor])), provideHttpClientTesting()],
    });
    backend = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(ManualNumberFormComponent);
    fixture.detectChanges();
    return fixture;
  }

  afterEach(() => backend.verify());

  function fill(fixture: ReturnType<typeof render>) {
    type(byId<HTMLInputElement>(fixture, 'manual-phone-number-id'), '111');
    type(byId<HTMLInputElement>(fixture, 'manual-waba-id'), '222');
    type(byId<HTMLInputElement>(fixture, 'manual-access-token'), 'EAAG-secret');
  }

  it('sends the IDs and token, and empties the form once the number is added', async () => {
    const fixture = render();
    const added = vi.fn();
    fixture.componentInstance.added.subscribe(added);
    fill(fixture);

    buttonNamed(fixture, 'Add number').click();
    const request = backend.expectOne('/api/settings/phone-numbers');
    expect(request.request.body).toEqual({ phoneNumberId: '111', wabaId: '222', accessToken: 'EAAG-secret' });

    const number = createPhoneNumber({ phoneNumberId: '111' });
    request.flush(number, { status: 201, statusText: 'Created' });
    await vi.waitFor(() => expect(added).toHaveBeenCalledWith(number));
    expect(byId<HTMLInputElement>(fixture, 'manual-access-token').value).toBe('');
  });

  it("shows Meta's refusal and keeps the token so it can be corrected; the next attempt clears the banner", async () => {
    const fixture = render();
    fill(fixture);

    buttonNamed(fixture, 'Add number').click();
    backend.expectOne('/api/settings/phone-numbers').flush(apiError(403, 'This access token cannot manage WhatsApp Business Account 222'), { status: 403, statusText: 'Forbidden' });

    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(alertText(fixture)).toContain('This access token cannot manage WhatsApp Business Account 222');
    });
    expect(byId<HTMLInputElement>(fixture, 'manual-access-token').value).toBe('EAAG-secret');
    expect(byId<HTMLInputElement>(fixture, 'manual-phone-number-id').value).toBe('111');

    // The next attempt is refused before sending (bad ID): the old server error is not shown with it.
    type(byId<HTMLInputElement>(fixture, 'manual-waba-id'), 'abc');
    buttonNamed(fixture, 'Add number').click();
    await fixture.whenStable();
    expect(alertText(fixture)).not.toContain('This access token cannot manage');
  });

  it('asks which credential to keep when the API says the account already has one, and sends the choice', async () => {
    const fixture = render();
    const added = vi.fn();
    fixture.componentInstance.added.subscribe(added);
    fill(fixture);

    buttonNamed(fixture, 'Add number').click();
    const question = 'WhatsApp Business Account 222 already works with a credential from Embedded Signup, saved 3 days ago.';
    backend.expectOne('/api/settings/phone-numbers').flush({ ...apiError(409, question), code: 'credential_choice_needed' }, { status: 409, statusText: 'Conflict' });
    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect((fixture.nativeElement as HTMLElement).querySelector('[data-testid="credential-choice"]')?.textContent).toContain(question);
    });
    expect(alertText(fixture)).not.toContain(question);
    expect(buttonNamed(fixture, 'Add number with this choice').disabled).toBe(true);

    const useNew = (fixture.nativeElement as HTMLElement).querySelector<HTMLInputElement>('input[value="use-new"]');
    useNew?.click();
    fixture.detectChanges();
    buttonNamed(fixture, 'Add number with this choice').click();
    const request = backend.expectOne('/api/settings/phone-numbers');
    expect(request.request.body).toEqual({ phoneNumberId: '111', wabaId: '222', accessToken: 'EAAG-secret', credentialChoice: 'use-new' });
    request.flush(createPhoneNumber({ phoneNumberId: '111' }), { status: 201, statusText: 'Created' });
    await vi.waitFor(() => expect(added).toHaveBeenCalled());
  });

  it('says a 10 000-digit ID is too long, not that it must be digits', async () => {
    const fixture = render();
    fill(fixture);
    type(byId<HTMLInputElement>(fixture, 'manual-phone-number-id'), '1'.repeat(10_000));

    buttonNamed(fixture, 'Add number').click();
    await fixture.whenStable();

    backend.expectNone('/api/settings/phone-numbers');
    const text = (fixture.nativeElement as HTMLElement).textContent ?? '';
    expect(text).toContain('That phone number ID is too long: Meta IDs have at most 32 digits.');
    expect(text).not.toContain('Enter the phone number ID (digits only).');
  });

  it('checks that the IDs are numeric before sending anything', async () => {
    const fixture = render();
    fill(fixture);
    type(byId<HTMLInputElement>(fixture, 'manual-waba-id'), 'abc');

    buttonNamed(fixture, 'Add number').click();
    await fixture.whenStable();

    backend.expectNone('/api/settings/phone-numbers');
    expect((fixture.nativeElement as HTMLElement).textContent).toContain('Enter the WhatsApp Business Account ID (digits only).');
  });
});
