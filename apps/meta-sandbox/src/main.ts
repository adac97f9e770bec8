// Starts the local Meta. The only file that reads the environment.
import { createSandboxApp } from './app/create-sandbox-app';

async function bootstrap(): Promise<void> {
  const port = Number(process.env['SANDBOX_PORT'] ?? 4100);
  const publicUrl = (process.env['SANDBOX_PUBLIC_URL'] ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const app = await createSandboxApp({
    publicUrl,
    appId: process.env['META_APP_ID'] ?? '100000000000001',
    appSecret: process.env['META_APP_SECRET'] ?? 'sandbox-app-secret',
    configId: process.env['META_CONFIG_ID'] ?? 'sandbox-config-1',
    webhookUrl: process.env['SANDBOX_WEBHOOK_URL'] ?? 'http://localhost:3000/api/webhooks/whatsapp',
    webhookVerifyToken: process.env['SANDBOX_WEBHOOK_VERIFY_TOKEN'] ?? 'sandbox-verify-token',
    stateFile: process.env['SANDBOX_STATE_FILE'] || undefined,
    logger: ['warn', 'error'],
  });
  app.enableShutdownHooks();
  await app.listen(port);
  // One plain line, whatever the log level, so `npm start` shows where the sandbox is.
  console.log(`Meta sandbox running on ${publicUrl} (control page: ${publicUrl}/_sandbox)`);
}

void bootstrap();
