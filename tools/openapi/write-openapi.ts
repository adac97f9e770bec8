/**
 * `npm run openapi`: regenerates the contracts' schemas (apps/api/src/openapi/contract-schemas.json),
 * then writes the API's OpenAPI document to docs/openapi.json (or the path given). The app is
 * built in Nest's preview mode: the module graph and routes only, no database, Redis or Meta.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CONTRACT_SCHEMAS_FILE, generateContractSchemas } from './contract-schemas';

export const OPENAPI_FILE = resolve(__dirname, '../../docs/openapi.json');

async function main(): Promise<void> {
  writeFileSync(CONTRACT_SCHEMAS_FILE, `${JSON.stringify(generateContractSchemas(), null, 2)}\n`);
  // Loaded after the schemas are written: the document embeds them.
  const { NestFactory } = await import('@nestjs/core');
  const { AppModule } = await import('../../apps/api/src/app/app.module');
  const { loadApiConfig } = await import('../../apps/api/src/config/api-config');
  const { buildOpenApiDocument, OPENAPI_PATH } = await import('../../apps/api/src/openapi/openapi-document');
  const { ROUTES_AHEAD_OF_NEST } = await import('../../apps/api/src/app/create-api-app');
  const config = loadApiConfig({
    TOKEN_ENCRYPTION_KEYS: `openapi:${Buffer.alloc(32).toString('base64')}`,
    MONGODB_URI: 'mongodb://127.0.0.1:1/unused',
    REDIS_URL: 'redis://127.0.0.1:1',
    LOG_LEVEL: 'silent',
  });
  const app = await NestFactory.create(AppModule.forRoot(config), { preview: true, logger: false });
  app.setGlobalPrefix('api');
  const document = buildOpenApiDocument(app, ROUTES_AHEAD_OF_NEST);
  const out = resolve(process.argv[2] ?? OPENAPI_FILE);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`OpenAPI document written to ${out} (${Object.keys(document.paths).length} paths); served at /${OPENAPI_PATH}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
