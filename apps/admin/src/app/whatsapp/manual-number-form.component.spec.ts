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

  it('sends the IDs and token, and forgets the token as soon as it is sent', async () => {
    const fixture = render();
    const added = vi.fn();
    fixture.componentInstance.added.subscribe(added);
    fill(fixture);

    buttonNamed(fixture, 'Add number').click();
    const request = backend.expectOne('/api/settings/phone-numbers');
    expect(request.request.body).toEqual({ phoneNumberId: '111', wabaId: '222', accessToken: 'EAAG-secret' });
    await fixture.whenStable();
    expect(byId<HTMLInputElement>(fixture, 'manual-access-token').value).toBe('');

    const number = createPhoneNumber({ phoneNumberId: '111' });
    request.flush(number, { status: 201, statusText: 'Created' });
    await vi.waitFor(() => expect(added).toHaveBeenCalledWith(number));
  });

  it("shows Meta's refusal and does not keep the token", async () => {
    const fixture = render();
    fill(fixture);

    buttonNamed(fixture, 'Add number').click();
    backend
      .expectOne('/api/settings/phone-numbers')
      .flush(apiError(403, 'This access token cannot manage WhatsApp Business Account 222'), { status: 403, statusText: 'Forbidden' });

    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(alertText(fixture)).toContain('This access token cannot manage WhatsApp Business Account 222');
    });
    expect(byId<HTMLInputElement>(fixture, 'manual-access-token').value).toBe('');
    expect(byId<HTMLInputElement>(fixture, 'manual-phone-number-id').value).toBe('111');
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
