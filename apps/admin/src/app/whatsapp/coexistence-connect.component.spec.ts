import { TestBed } from '@angular/core/testing';
import type { OnboardingSessionView } from '@waba/contracts';
import { CoexistenceConnectComponent } from './coexistence-connect.component';
import { EmbeddedSignupService, type SignupOutcome } from './embedded-signup.service';
import { WhatsappService } from './whatsapp.service';

describe('CoexistenceConnectComponent', () => {
  let start: ReturnType<typeof vi.fn<(featureType?: string) => Promise<SignupOutcome>>>;
  let fromEmbeddedSignup: ReturnType<typeof vi.fn>;

  beforeEach(() => {
    start = vi.fn();
    fromEmbeddedSignup = vi.fn();
    TestBed.configureTestingModule({
      providers: [
        { provide: EmbeddedSignupService, useValue: { start } },
        { provide: WhatsappService, useValue: { fromEmbeddedSignup } },
      ],
    });
  });

  function render() {
    const fixture = TestBed.createComponent(CoexistenceConnectComponent);
    fixture.detectChanges();
    const element = fixture.nativeElement as HTMLElement;
    const button = () => Array.from(element.querySelectorAll('button')).find((b) => b.textContent?.includes('WhatsApp Business app')) as HTMLButtonElement;
    return { fixture, element, button };
  }

  it('says what changes for the business before anything starts', () => {
    const { element } = render();
    const text = element.textContent ?? '';
    expect(text).toContain('20 messages per second');
    expect(text).toContain('The WhatsApp Business app keeps working');
    expect(text).toContain('within 24 hours of connecting');
    expect(text).toContain('If you leave');
    expect(start).not.toHaveBeenCalled();
  });

  it('runs Embedded Signup as a WhatsApp Business app onboarding and hands the consent to the picker, even with only the WABA named', async () => {
    const session = { id: 'session-1' } as OnboardingSessionView;
    start.mockResolvedValue({
      kind: 'code',
      code: 'code-1',
      sessionInfo: { event: 'FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING', wabaId: 'waba-1' },
      finishEvent: 'FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING',
    } as SignupOutcome);
    fromEmbeddedSignup.mockResolvedValue(session);
    const { fixture, button } = render();
    const emitted: OnboardingSessionView[] = [];
    fixture.componentInstance.sessionStarted.subscribe((view) => emitted.push(view));

    button().click();
    await vi.waitFor(() => expect(emitted).toEqual([session]));
    expect(start).toHaveBeenCalledWith('whatsapp_business_app_onboarding');
    expect(fromEmbeddedSignup).toHaveBeenCalledWith({ code: 'code-1', sessionInfo: { event: 'FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING', wabaId: 'waba-1' } });
  });

  it('says in words that nothing was connected when the person closes Meta’s window', async () => {
    start.mockResolvedValue({ kind: 'cancelled', step: null });
    const { fixture, element, button } = render();
    button().click();
    await vi.waitFor(() => {
      fixture.detectChanges();
      expect(element.querySelector('[role="alert"]')?.textContent).toContain('nothing was connected');
    });
    expect(fromEmbeddedSignup).not.toHaveBeenCalled();
  });
});
