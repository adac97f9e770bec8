import { WebhookPayload } from '@waba/meta-graph';
import { eventually, startWebhookReceiver, WebhookReceiver } from '@waba/testing';
import { phoneIdOf, Sandbox, startSandbox } from '@waba/testing/sandbox';
import { TokenSummary } from './token-summaries.service';

describe('demo console (/_sandbox) and its control routes', () => {
  let sandbox: Sandbox;
  let receiver: WebhookReceiver;

  beforeEach(async () => {
    receiver = await startWebhookReceiver();
    sandbox = await startSandbox({ webhookUrl: receiver.url });
  });
  afterEach(async () => {
    await sandbox.close();
    await receiver.close();
  });

  const acme = () => [...sandbox.world.businesses.values()].find((b) => b.name === 'Acme Bakery')?.id ?? '';
  const mint = async () => (await sandbox.control<{ access_token: string }>('POST', '/tokens', { businessId: acme(), expiresInSeconds: 3600 })).body.access_token;
  const summaryOf = async (token: string) => {
    const listed = await sandbox.control<{ tokens: TokenSummary[]; total: number }>('GET', '/tokens');
    const found = listed.body.tokens.filter((summary) => token.endsWith(summary.lastFour) && summary.businessNames.includes('Acme Bakery'));
    expect(found).toHaveLength(1);
    return found[0];
  };
  const page = async () => (await fetch(`${sandbox.baseUrl}/_sandbox`)).text();

  it('lists tokens by fingerprint and last 4 characters, and neither the list nor the page shows a token value', async () => {
    const token = await mint();
    const listed = await sandbox.control<{ tokens: TokenSummary[]; total: number }>('GET', '/tokens');
    expect(listed.status).toBe(200);
    expect(listed.body.total).toBe(sandbox.world.tokens.size);
    const summary = await summaryOf(token);
    expect(summary).toMatchObject({ type: 'SYSTEM_USER', state: 'valid', fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(summary.label).toContain(`System-user token of Acme Bakery, ending …${token.slice(-4)}`);

    const html = await page();
    expect(html).toContain(`<option value="${summary.fingerprint}">`);
    const values = [...sandbox.world.tokens.keys()];
    expect(values).toContain(sandbox.world.partnerToken.value);
    for (const value of values) {
      expect(JSON.stringify(listed.body)).not.toContain(value);
      expect(html).not.toContain(value);
      expect(html).not.toContain(value.slice(0, 12));
    }
  });

  it('revokes and expires a token named by its fingerprint; Graph then refuses it', async () => {
    const revoked = await mint();
    const answer = await sandbox.control<TokenSummary>('POST', `/tokens/${(await summaryOf(revoked)).fingerprint}/revoke`, { subcode: 460 });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ state: 'revoked', subcode: 460, lastFour: revoked.slice(-4) });
    expect(answer.body.label).toMatch(/revoked \(190\/460\)$/);
    expect(await sandbox.client().debugToken(revoked)).toMatchObject({ is_valid: false, error: { code: 190, subcode: 460 } });

    const expired = await mint();
    const expiredAnswer = await sandbox.control<TokenSummary>('POST', `/tokens/${(await summaryOf(expired)).fingerprint}/expire`);
    expect(expiredAnswer.body).toMatchObject({ state: 'expired', subcode: 463 });
    expect(await sandbox.client().debugToken(expired)).toMatchObject({ is_valid: false, error: { code: 190, subcode: 463 } });
  });

  it('answers 404 for an unknown fingerprint and 400 for a bad subcode, in words', async () => {
    const unknown = await sandbox.control<{ message: string }>('POST', '/tokens/0000000000000000/revoke', {});
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe('No token with fingerprint 0000000000000000');
    const fingerprint = (await summaryOf(await mint())).fingerprint;
    const bad = await sandbox.control<{ message: string[] }>('POST', `/tokens/${fingerprint}/revoke`, { subcode: 'soon' });
    expect(bad.status).toBe(400);
    expect(bad.body.message.join()).toContain('subcode');
  });

  it('sends reactions and media messages as Meta shapes them', async () => {
    const phoneNumberId = phoneIdOf(sandbox, '+1 555-010-0199');
    const sent = await sandbox.control<{ deliveries: unknown[] }>('POST', '/webhooks', {
      callbackUrl: receiver.url,
      batch: true,
      events: [
        { type: 'message', phoneNumberId, messageType: 'reaction', emoji: '❤️', messageId: 'wamid.original' },
        { type: 'message', phoneNumberId, messageType: 'image', text: 'Our new cake' },
        { type: 'message', phoneNumberId, messageType: 'location' },
      ],
    });
    expect(sent.status).toBe(202);
    await eventually(() => receiver.posts.some((post) => post.rawBody.includes('"reaction"')));
    const post = receiver.posts.find((p) => p.rawBody.includes('"reaction"'));
    const payload = JSON.parse(post?.rawBody.toString('utf8') ?? '{}') as WebhookPayload;
    const [reaction, image, location] = payload.entry[0].changes.flatMap((c) => (c.field === 'messages' ? (c.value.messages as unknown as Array<Record<string, unknown>>) : []));
    expect(reaction).toMatchObject({ type: 'reaction', reaction: { message_id: 'wamid.original', emoji: '❤️' } });
    expect(image).toMatchObject({ type: 'image', image: { caption: 'Our new cake', mime_type: 'image/jpeg', id: expect.any(String) } });
    expect(location).toMatchObject({ type: 'location', location: { latitude: expect.any(Number), longitude: expect.any(Number) } });
    expect(image).not.toHaveProperty('text');

    const wrong = await sandbox.control<{ message: string[] }>('POST', '/webhooks', { events: [{ type: 'message', phoneNumberId, messageType: 'hologram' }] });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message.join()).toContain('messageType');
  });

  it('renders a console with every number, webhook kind, Graph endpoint and the sandbox time', async () => {
    await sandbox.control('POST', '/clock/advance', { seconds: 90_000 });
    const html = await page();
    expect(html).toContain(`<option value="${phoneIdOf(sandbox, '+1 555-010-0199')}">`);
    for (const kind of ['message:reaction', 'status:failed', 'account_update:ACCOUNT_VIOLATION', 'phone_number_quality_update:FLAGGED', 'phone_number_name_update:DECLINED']) {
      expect(html).toContain(`<option value="${kind}">`);
    }
    expect(html).toContain('<option value="GET /debug_token">');
    expect(html).toContain('"offsetMs":90000000');
    for (const id of ['webhook-number', 'webhook-kind', 'token-select', 'fault-endpoint', 'fault-answer', 'clock-amount']) {
      expect(html).toContain(`<label for="${id}">`);
    }
    // The script finds every control by id: one id used twice sends the wrong field's value.
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((match) => match[1]);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
  });
});
