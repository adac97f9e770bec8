import { Sandbox, startSandbox } from '@waba/testing/sandbox';

describe('control API', () => {
  let sandbox: Sandbox;

  beforeEach(async () => {
    sandbox = await startSandbox({ seedDemoWorld: false });
  });
  afterEach(() => sandbox.close());

  it('builds a world that Graph then serves to a minted token', async () => {
    const business = await sandbox.control<{ id: string }>('POST', '/businesses', { name: 'Contoso Pharmacy' });
    const waba = await sandbox.control<{ id: string }>('POST', '/wabas', { businessId: business.body.id, name: 'Contoso' });
    const phone = await sandbox.control<{ id: string }>('POST', '/phone-numbers', {
      wabaId: waba.body.id,
      displayPhoneNumber: '+34 600 000 001',
      verifiedName: 'Contoso',
      qualityRating: 'YELLOW',
      registered: false,
    });
    expect(phone.status).toBe(201);
    const token = await sandbox.control<{ access_token: string; is_valid: boolean }>('POST', '/tokens', {
      businessId: business.body.id,
    });
    expect(token.body.is_valid).toBe(true);

    const waba1 = await sandbox.client().getWaba(token.body.access_token, waba.body.id);
    expect(waba1.phone_numbers?.data).toEqual([expect.objectContaining({ id: phone.body.id, quality_rating: 'YELLOW', platform_type: 'NOT_APPLICABLE' })]);
    await sandbox.control('PATCH', `/phone-numbers/${phone.body.id}`, { qualityRating: 'RED' });
    expect(await sandbox.client().getPhoneNumber(token.body.access_token, phone.body.id)).toMatchObject({
      quality_rating: 'RED',
    });
  });

  it('rejects bad input with 4xx and names what is wrong', async () => {
    const fault = await sandbox.control<{ message: string[] }>('POST', '/faults', { endpoint: 'GET /nowhere' });
    expect(fault.status).toBe(400);
    expect(fault.body.message.join()).toContain('endpoint');
    expect((await sandbox.control('POST', '/tokens/expire', { token: 'EAAunknown' })).status).toBe(404);
    expect((await sandbox.control('POST', '/wabas', { businessId: '1', name: 'x' })).status).toBe(404);
    expect((await sandbox.control('PATCH', '/settings', { webhookUrl: 'not a url' })).status).toBe(400);
  });

  it('advances the sandbox clock and resets the world', async () => {
    const before = (await sandbox.control<{ unix: number }>('GET', '/clock')).body.unix;
    const after = (await sandbox.control<{ unix: number }>('POST', '/clock/advance', { seconds: 3600 })).body.unix;
    expect(after - before).toBeGreaterThanOrEqual(3600);
    await sandbox.control('POST', '/businesses', { name: 'Temporary' });
    await sandbox.control('POST', '/reset');
    const world = await sandbox.control<{ businesses: { name: string }[] }>('GET', '/world');
    expect(world.body.businesses.map((b) => b.name)).toEqual(['WABA Connect (Tech Provider)']);
  });
});
