import { getConnectionToken } from '@nestjs/mongoose';
import { NestFactory } from '@nestjs/core';
import type { Connection } from 'mongoose';
import { legacyV1Ciphertext } from '@waba/api/common/crypto/token-cipher.testing';
import { loadApiConfig } from '@waba/api/config/api-config';
import { CliModule } from '@waba/api/maintenance/cli.module';
import { KeyRotationService } from '@waba/api/maintenance/key-rotation.service';
import { testRedisUrl } from '@waba/testing';
import { phoneIdOf, type Sandbox } from '../support/meta-sandbox';
import { useApiWithSandbox } from '../support/suite';
import { createTenant } from '../support/tenants';
import type { TestApp } from '../support/test-app';
import { connectBySignup, TEST_KEYS } from '../token-refresh/token-check.support';

describe('stored secrets are bound to their record', () => {
  let api: TestApp;
  let sandbox: Sandbox;
  useApiWithSandbox((running) => ({ api, sandbox } = running));
  const connections = () => api.app.get<Connection>(getConnectionToken()).collection('meta_connections');

  it("refuses another tenant's token copied into a record, with its fingerprint, instead of calling Meta with it", async () => {
    const victim = await createTenant(api.server, 'Victim');
    const attacker = await createTenant(api.server, 'Attacker');
    await connectBySignup(api, sandbox, victim, ['+1 555-010-0142'], 'Acme Bakery');
    await connectBySignup(api, sandbox, attacker, ['+44 7700 900461'], 'Northwind Clinics');
    const stolen = await connections().findOne({ accountId: (await connections().findOne({}, { sort: { _id: 1 } }))?.['accountId'] });
    const own = await connections().findOne({ accountId: { $ne: stolen?.['accountId'] } });
    // Whoever can write the database (a leaked backup restored, an injection) moves the victim's ciphertext.
    await connections().updateOne({ _id: own?._id }, { $set: { encryptedToken: stolen?.['encryptedToken'], tokenFingerprint: stolen?.['tokenFingerprint'] } });

    const refreshed = await attacker.browser.post(`/api/phone-numbers/${phoneIdOf(sandbox, '+44 7700 900461')}/refresh`);
    expect(refreshed.status).toBe(409);
    expect(refreshed.body.message).toMatch(/stored Meta credential cannot be read/);
    // The victim's own record, untouched, still works.
    expect((await victim.browser.post(`/api/phone-numbers/${phoneIdOf(sandbox, '+1 555-010-0142')}/refresh`)).status).toBe(200);
  });

  it('keeps using a token stored before bindings existed (v1), and key rotation upgrades it under the same key', async () => {
    const tenant = await createTenant(api.server);
    const token = await connectBySignup(api, sandbox, tenant, ['+1 555-010-0142']);
    await connections().updateOne({}, { $set: { encryptedToken: legacyV1Ciphertext('test', TEST_KEYS.slice('test:'.length), token) } });
    const phone = phoneIdOf(sandbox, '+1 555-010-0142');
    expect((await tenant.browser.post(`/api/phone-numbers/${phone}/refresh`)).status).toBe(200);

    const settings = { MONGODB_URI: api.databaseUri, REDIS_URL: testRedisUrl(), TOKEN_ENCRYPTION_KEYS: TEST_KEYS, META_GRAPH_URL: sandbox.baseUrl };
    const cli = await NestFactory.createApplicationContext(CliModule.forRoot(loadApiConfig(settings)), { logger: false });
    try {
      const summary = await cli.get(KeyRotationService).rotate({ dryRun: false });
      expect(summary.tokens).toEqual({ reencrypted: 1, current: 0, changedMeanwhile: 0 });
      expect(summary.pins.current).toBe(1);
    } finally {
      await cli.close();
    }
    expect(String((await connections().findOne({}))?.['encryptedToken'])).toMatch(/^v2\.test\./);
    expect((await tenant.browser.post(`/api/phone-numbers/${phone}/refresh`)).status).toBe(200);
  });
});
