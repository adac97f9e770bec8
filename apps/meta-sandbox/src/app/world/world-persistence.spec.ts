import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { businessToken, grantConsent, phoneIdOf, type Sandbox, startSandbox } from '@waba/testing/sandbox';

describe('world persistence (SANDBOX_STATE_FILE)', () => {
  let folder: string;
  let stateFile: string;
  const running: Sandbox[] = [];

  async function start(): Promise<Sandbox> {
    const sandbox = await startSandbox({ stateFile, webhookUrl: 'http://localhost:3999/api/webhooks/whatsapp' });
    running.push(sandbox);
    return sandbox;
  }

  async function stop(sandbox: Sandbox): Promise<void> {
    running.splice(running.indexOf(sandbox), 1);
    await sandbox.close();
  }

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'sandbox-world-'));
    stateFile = join(folder, 'world.json');
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((sandbox) => sandbox.close()));
    rmSync(folder, { recursive: true, force: true });
  });

  it('brings back the same businesses, numbers, tokens, settings, clock and id counter after a restart', async () => {
    const first = await start();
    const token = await businessToken(first);
    const business = (await first.control<{ id: string }>('POST', '/businesses', { name: 'Persisted Pies' })).body;
    await first.control('PATCH', '/settings', { debugTokenShape: 'without_waba_targets' });
    await first.control('POST', '/clock/advance', { seconds: 3600 });
    const phone = phoneIdOf(first, '+1 555-010-0199');
    await first.control('PATCH', `/phone-numbers/${phone}`, { qualityRating: 'RED' });
    const before = (await first.control<Record<string, unknown>>('GET', '/world')).body;
    await stop(first);

    const second = await start();
    const after = (await second.control<Record<string, unknown>>('GET', '/world')).body;
    expect(after['businesses']).toEqual(before['businesses']);
    expect(after['tokens']).toEqual(before['tokens']);
    expect(after['settings']).toEqual(before['settings']);
    expect(after['partnerSystemUserToken']).toBe(before['partnerSystemUserToken']);
    expect(second.clock.nowMs() - Date.now()).toBeGreaterThanOrEqual(3600_000 - 1000);
    // The token issued before the restart still answers, and new ids do not collide with old ones.
    expect(await second.client().debugToken(token)).toMatchObject({ is_valid: true });
    expect(await second.client().getMe(token)).toMatchObject({ client_business_id: expect.any(String) });
    const next = (await second.control<{ id: string }>('POST', '/businesses', { name: 'After Restart' })).body;
    expect(BigInt(next.id)).toBeGreaterThan(BigInt(business.id));
    expect(second.world.partnerToken).toBe(second.world.tokens.get(second.world.partnerToken.value));
  });

  it('saves shortly after a change, atomically and readable only by its owner', async () => {
    const sandbox = await start();
    await grantConsent(sandbox, { flow: 'sdk' });
    await sandbox.control('POST', '/businesses', { name: 'Saved Soon' });
    await waitUntil(() => existsSync(stateFile) && readFileSync(stateFile, 'utf8').includes('Saved Soon'));
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);
    expect(readdirSync(folder)).toEqual(['world.json']);
  });

  it('lets a setting left at its default follow the new start options', async () => {
    const first = await startSandbox({ stateFile, webhookUrl: 'http://localhost:3000/api/webhooks/whatsapp' });
    await first.close();
    const second = await startSandbox({ stateFile, webhookUrl: 'http://localhost:3999/api/webhooks/whatsapp' });
    running.push(second);
    expect(second.world.settings.webhookUrl).toBe('http://localhost:3999/api/webhooks/whatsapp');
  });

  it('keeps an unreadable file aside and starts from the demo world', async () => {
    writeFileSync(stateFile, '{"version": 1, "lastId": ');
    const sandbox = await start();
    expect(sandbox.world.businesses.size).toBeGreaterThan(1);
    const kept = readdirSync(folder).filter((name) => name.startsWith('world.json.unreadable-'));
    expect(kept).toHaveLength(1);
    expect(readFileSync(join(folder, kept[0]), 'utf8')).toBe('{"version": 1, "lastId": ');
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
