import { expect, test } from './support/fixtures';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { APP_SECRET, inboundMessage, seedRoutableNumber, signed, startApiProcess } from '@waba/testing';
import { startFerretDb, type LaunchedDatabase } from '@waba/tools/database/database-launcher';
import { launchRedis, type LaunchedRedis } from '@waba/tools/redis/redis-launcher';
import { createAdminUser } from './support/admin-user';

/**
 * Behind a load balancer: the browser holds its socket on one http instance, Meta's webhook
 * lands on another, and a third process (a worker) applies it. The Events page still shows it live.
 */
test.describe('several instances', () => {
  let database: LaunchedDatabase;
  let redis: LaunchedRedis;
  const children: ChildProcess[] = [];

  test.beforeAll(async () => {
    database = await startFerretDb(process.env, () => undefined);
    redis = await launchRedis({ env: {} });
  });
  test.afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await redis?.stop();
    await database?.stop();
  });

  async function start(role: 'http' | 'worker', uri: string): Promise<string> {
    const settings = {
      MONGODB_URI: uri,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: 'instances-e2e',
      META_APP_SECRET: APP_SECRET,
      TOKEN_ENCRYPTION_KEYS: `e2e:${Buffer.alloc(32, 4).toString('base64')}`,
      TOKEN_CHECK_ENABLED: 'false',
      LOG_LEVEL: 'warn',
    };
    // On localhost, the browser's origin and cookies match the public URL.
    const { child, url } = await startApiProcess(role, settings, 'localhost');
    children.push(child);
    return url ?? '';
  }

  test('a webhook taken by one http instance and applied by a worker appears live in a browser on another', async ({ page }) => {
    const uri = `${database.uri}/instances_e2e`;
    const browserSide = await start('http', uri);
    const metaSide = await start('http', uri);
    await start('worker', uri);

    const user = createAdminUser();
    await page.goto(`${browserSide}/signup`);
    await page.getByLabel('Account name', { exact: true }).fill(user.accountName);
    await page.getByLabel('Your name', { exact: true }).fill(user.name);
    await page.getByLabel('Email', { exact: true }).fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page).toHaveURL(/\/overview$/);
    const me = (await (await page.request.get(`${browserSide}/api/auth/me`)).json()) as { account: { id: string } };
    const number = await seedRoutableNumber(uri, { wabaId: '410000000000777', phoneNumberId: '610000000000777' }, me.account.id);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Events' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Events' })).toBeVisible();
    const text = `Across instances ${randomUUID().slice(0, 8)}`;
    await expect(page.getByText(text)).toHaveCount(0);

    const message = signed(JSON.stringify(inboundMessage(number.wabaId, number.phoneNumberId, { id: `wamid.${randomUUID()}`, text })));
    const answer = await fetch(`${metaSide}/api/webhooks/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': message.signature },
      body: new Uint8Array(message.body),
    });
    expect(answer.status).toBe(200);

    await expect(page.getByRole('list', { name: 'Events' }).getByRole('listitem').filter({ hasText: text })).toBeVisible();
  });
});
