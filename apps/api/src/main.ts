import { createApiApp } from './app/create-api-app';
import { InvalidConfigError, loadApiConfig } from './config/api-config';

async function bootstrap(): Promise<void> {
  const config = loadApiConfig(process.env);
  const app = await createApiApp(config);
  await app.listen(config.API_PORT);
  console.log(`WABA Connect API listening on ${config.publicUrl} (docs: ${config.publicUrl}/api/docs)`);
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof InvalidConfigError ? error.message : error);
  process.exit(1);
});
