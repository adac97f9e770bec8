import { readSignupMessage, stepName } from './embedded-signup-message';

const ORIGIN = 'http://localhost:4100';
const message = (data: unknown, origin = ORIGIN) => ({ origin, data });

describe('readSignupMessage', () => {
  it('ignores messages from any other origin, even well-formed ones', () => {
    const finish = { type: 'WA_EMBEDDED_SIGNUP', event: 'FINISH', data: { waba_id: '1' } };
    expect(readSignupMessage(message(finish, 'http://evil.example'), ORIGIN)).toBeNull();
    expect(readSignupMessage(message(finish, 'http://localhost:4100.evil.example'), ORIGIN)).toBeNull();
  });

  it('ignores other message types and text that is not JSON', () => {
    expect(readSignupMessage(message({ type: 'SANDBOX_SDK_LOGIN_RESULT', response: {} }), ORIGIN)).toBeNull();
    expect(readSignupMessage(message('not json'), ORIGIN)).toBeNull();
    expect(readSignupMessage(message(null), ORIGIN)).toBeNull();
  });

  it('reads FINISH from a JSON string into session info', () => {
    const data = JSON.stringify({
      type: 'WA_EMBEDDED_SIGNUP',
      event: 'FINISH',
      data: { phone_number_id: '111', waba_id: '222', business_id: '333' },
      version: 3,
    });
    expect(readSignupMessage(message(data), ORIGIN)).toEqual({
      kind: 'finish',
      event: 'FINISH',
      sessionInfo: { event: 'FINISH', phoneNumberId: '111', wabaId: '222', businessId: '333' },
    });
  });

  it('reads an already-parsed object, and a WABA-only finish', () => {
    const read = readSignupMessage(message({ type: 'WA_EMBEDDED_SIGNUP', event: 'FINISH_ONLY_WABA', data: { waba_id: '222', business_id: '333' } }), ORIGIN);
    expect(read).toEqual({ kind: 'finish', event: 'FINISH_ONLY_WABA', sessionInfo: { event: 'FINISH_ONLY_WABA', wabaId: '222', businessId: '333' } });
  });

  it('reads a coexistence finish that carries only the WABA', () => {
    const read = readSignupMessage(message({ type: 'WA_EMBEDDED_SIGNUP', event: 'FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING', data: { waba_id: '222' } }), ORIGIN);
    expect(read).toEqual({
      kind: 'finish',
      event: 'FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING',
      sessionInfo: { event: 'FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING', wabaId: '222' },
    });
  });

  it('leaves out ids that are not numeric Meta ids (the API would refuse them)', () => {
    const read = readSignupMessage(message({ type: 'WA_EMBEDDED_SIGNUP', event: 'FINISH', data: { waba_id: '<script>', phone_number_id: 12 } }), ORIGIN);
    expect(read).toEqual({ kind: 'finish', event: 'FINISH', sessionInfo: { event: 'FINISH', phoneNumberId: '12' } });
  });

  it('reads CANCEL with the step the person stopped at', () => {
    const read = readSignupMessage(message({ type: 'WA_EMBEDDED_SIGNUP', event: 'CANCEL', data: { current_step: 'PHONE_NUMBER_SETUP' } }), ORIGIN);
    expect(read).toEqual({ kind: 'cancel', step: 'PHONE_NUMBER_SETUP' });
    expect(stepName('PHONE_NUMBER_SETUP')).toBe('phone number setup');
  });

  it("reads CANCEL with Meta's error message, error code and session id", () => {
    const read = readSignupMessage(
      message({
        type: 'WA_EMBEDDED_SIGNUP',
        event: 'CANCEL',
        data: { error_message: "Initech Labs can't onboard customers at the moment.", error_code: 524126, session_id: 'abc', timestamp: 1 },
      }),
      ORIGIN,
    );
    expect(read).toEqual({ kind: 'error', message: "Initech Labs can't onboard customers at the moment.", errorCode: '524126', sessionId: 'abc' });
  });

  it('reads the ERROR finish type as an error', () => {
    expect(readSignupMessage(message({ type: 'WA_EMBEDDED_SIGNUP', event: 'ERROR', data: {} }), ORIGIN)).toEqual({
      kind: 'error',
      message: 'Meta reported an error during sign-up.',
      errorCode: null,
      sessionId: null,
    });
  });
});
