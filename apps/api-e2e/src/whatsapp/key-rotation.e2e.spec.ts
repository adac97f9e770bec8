import { NestFactory } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/mongoose';
import type { OnboardingSessionView } from '@waba/contracts';
import type { Connection } from 'mongoose';
import { loadApiConfig } from '@waba/api/config/api-config';
import { CliModule } from '@waba/api/maintenance/cli.module';
import { KeyRotationService } from '@waba/api/maintenance/key-rotation.service';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTenant } from '../support/tenants';
import { TestBrowser, testRedisUrl } from '@waba/testing';
import { embeddedSignup, phoneIdOf, type Sandbox } from '../support/meta-sandbox';
import { useApiWithSandbox } from '../support/suite';

const OLD_KEY = `test:${Buffer.alloc(32, 9).toString('base64')}`;
const NEW_KEY = `k2:${Buffer.alloc(32, 4).toString('base64')}`;

describe('rotating the token-encryption key', () => {
  let api: TestApp;
  let sandbox: Sandbox;

  useApiWithSandbox((running) => ({ api, sandbox } = running), {}, { resetEachTest: false });

  it('re-encrypts every token and PIN under the new key, after which the old key can go', async () => {
    const tenant = await createTenant(api.server);
    const { code, wabaId } = await embeddedSignup(sandbox);
    const session = (await tenant.browser.post('/api/integrations/whatsapp/embedded-signup', { code, sessionInfo: { event: 'FINISH', wabaId } })).body as OnboardingSessionView;
    const deliveries = phoneIdOf(sandbox, '+1 555-010-0142');
    await tenant.browser.post(`/api/integrations/whatsapp/onboarding/${session.id}/confirm`, { phoneNumberIds: [deliveries] });

    const settings = { MONGODB_URI: api.databaseUri, REDIS_URL: testRedisUrl(), TOKEN_ENCRYPTION_KEYS: `${NEW_KEY},${OLD_KEY}`, TOKEN_ENCRYPTION_ACTIVE_KEY: 'k2', META_GRAPH_URL: sandbox.baseUrl };
    const cli = await NestFactory.createApplicationContext(CliModule.forRoot(loadApiConfig(settings)), { logger: false });
    try {
      const dryRun = await cli.get(KeyRotationService).rotate({ dryRun: true });
      expect(dryRun.tokens.reencrypted).toBe(1);
      const db = api.app.get<Connection>(getConnectionToken());
      expect(String((await db.collection('meta_connections').findOne({}))?.['encryptedToken'])).toMatch(/^v2\.test\./);

      const summary = await cli.get(KeyRotationService).rotate({ dryRun: false });
      expect(summary.tokens).toEqual({ reencrypted: 1, current: 0, changedMeanwhile: 0 });
      expect(summary.pins).toEqual({ reencrypted: 1, current: 0, changedMeanwhile: 0 });
      expect(String((await db.collection('meta_connections').findOne({}))?.['encryptedToken'])).toMatch(/^v2\.k2\./);
      expect(String((await db.collection('phone_numbers').findOne({ phoneNumberId: deliveries }))?.['encryptedPin'])).toMatch(/^v2\.k2\./);
      expect((await cli.get(KeyRotationService).rotate({ dryRun: false })).tokens.current).toBe(1);
    } finally {
      await cli.close();
    }

    // An instance that knows only the new key still reaches Meta with the stored token.
    const newOnly = await startTestApp({ MONGODB_URI: api.databaseUri, TOKEN_ENCRYPTION_KEYS: NEW_KEY, META_GRAPH_URL: sandbox.baseUrl, META_APP_SECRET: 'test-app-secret' });
    try {
      const browser = await new TestBrowser(newOnly.server).visit();
      await browser.post('/api/auth/login', { email: tenant.email, password: tenant.password });
      const refreshed = await browser.post(`/api/phone-numbers/${deliveries}/refresh`);
      expect(refreshed.status).toBe(200);
    } finally {
      await newOnly.close();
    }
  });
});
