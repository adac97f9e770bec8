import { Sandbox, startSandbox, wabaIdOf } from '@waba/testing/sandbox';

describe('control API: tokens for credential checks', () => {
  let sandbox: Sandbox;

  beforeEach(async () => {
    sandbox = await startSandbox();
  });
  afterEach(() => sandbox.close());

  const acme = () => [...sandbox.world.businesses.values()].find((b) => b.name === 'Acme Bakery')?.id ?? '';

  it('mints many tokens at once, and counts debug_token calls per token', async () => {
    const minted = await sandbox.control<{ tokens: string[] }>('POST', '/tokens/bulk', { businessId: acme(), count: 3, expiresInSeconds: 3600 });
    expect(minted.status).toBe(201);
    expect(new Set(minted.body.tokens).size).toBe(3);
    const client = sandbox.client();
    await client.debugToken(minted.body.tokens[0]);
    await client.debugToken(minted.body.tokens[0]);
    const debug = await client.debugToken(minted.body.tokens[1]);
    expect(debug).toMatchObject({ is_valid: true, type: 'SYSTEM_USER' });

    const counts = await sandbox.control<{ calls: Record<string, number>; total: number }>('GET', '/tokens/debug-calls');
    expect(counts.body.calls).toEqual({ [minted.body.tokens[0]]: 2, [minted.body.tokens[1]]: 1 });
    expect(counts.body.total).toBe(3);
    await sandbox.control('POST', '/reset');
    expect((await sandbox.control<{ total: number }>('GET', '/tokens/debug-calls')).body.total).toBe(0);
  });

  it('removes a WABA from a token’s grant', async () => {
    const wabaId = wabaIdOf(sandbox, 'Acme Bakery');
    const minted = await sandbox.control<{ access_token: string }>('POST', '/tokens', { businessId: acme(), wabaIds: [wabaId] });
    const changed = await sandbox.control<{ granular_scopes: Array<{ scope: string; target_ids?: string[] }> }>('POST', '/tokens/grant', { token: minted.body.access_token, wabaIds: [] });
    expect(changed.status).toBe(200);
    const debug = await sandbox.client().debugToken(minted.body.access_token);
    expect(debug.is_valid).toBe(true);
    expect(debug.granular_scopes?.find((s) => s.scope === 'whatsapp_business_management')?.target_ids).toEqual([]);
    expect((await sandbox.control('POST', '/tokens/grant', { token: 'EAAunknown', wabaIds: [] })).status).toBe(404);
  });
});
