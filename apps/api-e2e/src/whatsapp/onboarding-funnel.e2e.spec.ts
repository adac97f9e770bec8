import type { OnboardingAttemptView, OnboardingFunnelView } from '@waba/contracts';
import type { TestApp } from '../support/test-app';
import { createTenant, type SignedInTenant } from '../support/tenants';
import { embeddedSignup, grantConsent, phoneIdOf, type Sandbox } from '../support/meta-sandbox';
import { makeOperator } from '../support/operators';
import { useApiWithSandbox } from '../support/suite';

const ATTEMPTS = '/api/integrations/whatsapp/onboarding-attempts';
const CALLBACK = 'http://localhost:3999/integrations/whatsapp/callback';

describe('The onboarding funnel: every attempt recorded, step by step (API + Meta sandbox)', () => {
  let api: TestApp;
  let sandbox: Sandbox;

  useApiWithSandbox((running) => ({ api, sandbox } = running));

  async function startAttempt(tenant: SignedInTenant): Promise<string> {
    const started = await tenant.browser.post(ATTEMPTS, { flow: 'embedded_signup' });
    expect(started.status).toBe(201);
    return started.body.id as string;
  }

  async function attemptsOf(tenant: SignedInTenant): Promise<OnboardingAttemptView[]> {
    const listed = await tenant.browser.get(ATTEMPTS);
    expect(listed.status).toBe(200);
    return listed.body as OnboardingAttemptView[];
  }

  it('follows an Embedded Signup from the click to a partly connected pick, with why the other number failed', async () => {
    const tenant = await createTenant(api.server);
    const attemptId = await startAttempt(tenant);
    expect((await attemptsOf(tenant))[0]).toMatchObject({ id: attemptId, status: 'in_progress', reachedStep: 'started', flow: 'embedded_signup', startedByName: 'Acme Owner' });

    const { code, wabaId } = await embeddedSignup(sandbox);
    const session = (await tenant.browser.post('/api/integrations/whatsapp/embedded-signup', { code, sessionInfo: { event: 'FINISH', wabaId }, attemptId })).body;
    expect((await attemptsOf(tenant))[0]).toMatchObject({ reachedStep: 'numbers_offered', numbersOffered: 3, onboardingSessionId: session.id });

    const main = phoneIdOf(sandbox, '+1 555-010-0199');
    const deliveries = phoneIdOf(sandbox, '+1 555-010-0142');
    await sandbox.control('POST', '/faults', { endpoint: 'POST /{phone-number-id}/register', count: 1, error: { code: 133016, message: 'Account register deregister rate limit exceeded' } });
    const confirmed = await tenant.browser.post(`/api/integrations/whatsapp/onboarding/${session.id}/confirm`, { phoneNumberIds: [main, deliveries] });
    expect(confirmed.body.status).toBe('partial');

    const [attempt] = await attemptsOf(tenant);
    expect(attempt).toMatchObject({ status: 'partial', reachedStep: 'connected', numbersPicked: 2, numbersConnected: 1 });
    expect(attempt.failures).toEqual([{ phoneNumberId: deliveries, displayPhone: '+1 555-010-0142', reason: expect.stringMatching(/^Registering the number for the Cloud API failed: /) }]);
    expect(attempt.failures[0].reason).not.toMatch(/\(#133016\)|OAuthException/);
  });

  it("records where the person left Meta's popup, and the error Meta showed, and ignores another workspace's attempt", async () => {
    const tenant = await createTenant(api.server);
    const cancelled = await startAttempt(tenant);
    const ended = await tenant.browser.post(`${ATTEMPTS}/${cancelled}/ended`, { outcome: 'cancelled', currentStep: 'PHONE_NUMBER_SETUP' });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ status: 'cancelled', cancelledAtStep: 'PHONE_NUMBER_SETUP', cancelledAtStepLabel: 'adding a phone number' });

    const refused = await startAttempt(tenant);
    await tenant.browser.post(`${ATTEMPTS}/${refused}/ended`, {
      outcome: 'error',
      errorCode: '524126',
      errorMessage: 'This business is already linked to another provider',
      sessionId: 'meta-session-1',
    });
    expect((await attemptsOf(tenant))[0].error).toEqual({ source: 'meta', message: 'This business is already linked to another provider', code: '524126', sessionId: 'meta-session-1' });

    const stranger = await createTenant(api.server, 'Stranger');
    const foreign = await stranger.browser.post(`${ATTEMPTS}/${refused}/ended`, { outcome: 'cancelled' });
    expect(foreign.status).toBe(404);
    expect(await attemptsOf(stranger)).toEqual([]);
  });

  it('refuses bad input in words', async () => {
    const tenant = await createTenant(api.server);
    const attemptId = await startAttempt(tenant);
    const badStep = await tenant.browser.post(`${ATTEMPTS}/${attemptId}/ended`, { outcome: 'cancelled', currentStep: '<script>' });
    expect(badStep.status).toBe(400);
    expect(badStep.body.message).toMatch(/currentStep must be a screen name/);
    const badFlow = await tenant.browser.post(ATTEMPTS, { flow: 'oauth' });
    expect(badFlow.status).toBe(400);
    const badId = await tenant.browser.post(`${ATTEMPTS}/not-an-id/ended`, { outcome: 'cancelled' });
    expect(badId.status).toBe(404);
    const badAttemptOnSignup = await tenant.browser.post('/api/integrations/whatsapp/embedded-signup', { code: 'x', attemptId: 'nope' });
    expect(badAttemptOnSignup.status).toBe(400);
    expect(badAttemptOnSignup.body.message).toMatch(/attemptId must be the id/);
  });

  it('records the redirect flow from the start of the redirect, and a pasted token that Meta refuses', async () => {
    const tenant = await createTenant(api.server);
    const start = await tenant.browser.get('/api/integrations/whatsapp/oauth/start');
    const state = new URL(start.headers['location'] as string).searchParams.get('state') ?? '';
    expect((await attemptsOf(tenant))[0]).toMatchObject({ flow: 'oauth', reachedStep: 'started' });
    const { code } = await grantConsent(sandbox, { flow: 'redirect', business: 'Northwind Clinics', redirectUri: CALLBACK });
    expect((await tenant.browser.post('/api/integrations/whatsapp/oauth', { code, state })).status).toBe(201);
    expect((await attemptsOf(tenant))[0]).toMatchObject({ flow: 'oauth', reachedStep: 'numbers_offered' });

    const imported = await tenant.browser.post('/api/integrations/whatsapp/import', { accessToken: 'EAAG-not-a-real-token-0000000000' });
    expect(imported.status).toBe(400);
    const [attempt] = await attemptsOf(tenant);
    expect(attempt).toMatchObject({ flow: 'import', status: 'failed', reachedStep: 'consent_finished', error: { source: 'ours', code: 'meta_token_invalid' } });
  });

  it('records a full-page redirect that came back without a code, cancelled or refused, and uses its state up', async () => {
    const tenant = await createTenant(api.server);
    const stateOfNewRedirect = async () => new URL((await tenant.browser.get('/api/integrations/whatsapp/oauth/start')).headers['location'] as string).searchParams.get('state') ?? '';

    const cancelledState = await stateOfNewRedirect();
    const cancelled = await tenant.browser.post('/api/integrations/whatsapp/oauth/ended', { state: cancelledState, error: 'access_denied', errorReason: 'user_denied', errorCode: '200' });
    expect(cancelled.status).toBe(204);
    expect((await attemptsOf(tenant))[0]).toMatchObject({ flow: 'oauth', status: 'cancelled', reachedStep: 'started' });
    // The state is used up: a code that arrives for it afterwards is refused in words.
    const late = await tenant.browser.post('/api/integrations/whatsapp/oauth', { code: 'late-code', state: cancelledState });
    expect(late.status).toBe(400);
    expect(late.body.message).toMatch(/already used/);

    const refused = await tenant.browser.post('/api/integrations/whatsapp/oauth/ended', {
      state: await stateOfNewRedirect(),
      error: 'server_error',
      errorDescription: 'The business cannot be onboarded right now',
    });
    expect(refused.status).toBe(204);
    expect((await attemptsOf(tenant))[0]).toMatchObject({ flow: 'oauth', status: 'failed', error: { source: 'meta', message: 'The business cannot be onboarded right now' } });

    const stranger = await createTenant(api.server);
    const foreign = await stranger.browser.post('/api/integrations/whatsapp/oauth/ended', { state: await stateOfNewRedirect(), error: 'access_denied' });
    expect(foreign.status).toBe(400);
    const bad = await tenant.browser.post('/api/integrations/whatsapp/oauth/ended', { state: 'x', error: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/error must not be empty/);
  });

  it('shows operators the funnel across workspaces, and nobody else', async () => {
    const first = await createTenant(api.server, 'First');
    const second = await createTenant(api.server, 'Second');
    await first.browser.post(`${ATTEMPTS}/${await startAttempt(first)}/ended`, { outcome: 'cancelled', currentStep: 'BUSINESS_ACCOUNT_SELECTION' });
    await second.browser.post(`${ATTEMPTS}/${await startAttempt(second)}/ended`, { outcome: 'cancelled', currentStep: 'BUSINESS_ACCOUNT_SELECTION' });

    expect((await first.browser.get('/api/operator/onboarding-funnel')).status).toBe(403);
    await makeOperator(api.app, first.email);
    const answered = await first.browser.get('/api/operator/onboarding-funnel');
    expect(answered.status).toBe(200);
    const funnel = answered.body as OnboardingFunnelView;
    // The closing note quotes this: the funnel across every workspace this spec file created.
    console.log(
      `onboarding funnel after this suite: ${JSON.stringify({ steps: funnel.steps.map((s) => [s.step, s.attempts]), outcomes: funnel.outcomes, cancelledAt: funnel.cancelledAt, errors: funnel.errors })}`,
    );
    expect(funnel.workspaces).toBeGreaterThanOrEqual(2);
    expect(funnel.steps[0]).toMatchObject({ step: 'started', label: 'Started' });
    expect(funnel.steps[0].attempts).toBe(funnel.attempts);
    expect(funnel.cancelledAt.find((c) => c.key === 'BUSINESS_ACCOUNT_SELECTION')).toMatchObject({ label: 'choosing the business portfolio' });
    expect(funnel.cancelledAt.find((c) => c.key === 'BUSINESS_ACCOUNT_SELECTION')?.count).toBeGreaterThanOrEqual(2);

    const empty = (await first.browser.get('/api/operator/onboarding-funnel?from=2020-01-01&to=2020-02-01')).body as OnboardingFunnelView;
    expect(empty.attempts).toBe(0);
    const backwards = await first.browser.get('/api/operator/onboarding-funnel?from=2026-12-01&to=2026-11-01');
    expect(backwards.status).toBe(400);
    expect(backwards.body.message).toBe('from must be before to');
  });
});
