/**
 * JSON schemas of every type `libs/contracts` exports (request DTO classes and plain view
 * interfaces alike), for the OpenAPI document. Generated from the TypeScript types themselves, so
 * the contracts stay the one definition and the SPA keeps importing plain interfaces.
 */
import { resolve } from 'node:path';
import { createGenerator, type Definition } from 'ts-json-schema-generator';

const root = resolve(__dirname, '../..');
/** Committed; the OpenAPI test fails when it no longer matches the contracts (`npm run openapi` rewrites it). */
export const CONTRACT_SCHEMAS_FILE = resolve(root, 'apps/api/src/openapi/contract-schemas.json');

export function generateContractSchemas(): Record<string, Definition> {
  const generator = createGenerator({
    path: resolve(root, 'libs/contracts/src/index.ts'),
    tsconfig: resolve(root, 'libs/contracts/tsconfig.lib.json'),
    type: '*',
    expose: 'export',
    topRef: true,
    jsDoc: 'extended',
    skipTypeCheck: true,
  });
  const definitions = generator.createSchema('*').definitions ?? {};
  // OpenAPI keeps schemas under components, not JSON Schema's definitions.
  const text = JSON.stringify(definitions).replace(/#\/definitions\//g, '#/components/schemas/');
  const sorted = Object.fromEntries(Object.entries(JSON.parse(text) as Record<string, Definition>).sort(([a], [b]) => a.localeCompare(b)));
  return sorted;
}
