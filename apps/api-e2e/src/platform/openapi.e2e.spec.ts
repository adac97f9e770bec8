import { readFileSync } from 'node:fs';
import request from 'supertest';
import { CONTRACT_SCHEMAS_FILE, generateContractSchemas } from '@waba/tools/openapi/contract-schemas';
import { OPENAPI_FILE } from '@waba/tools/openapi/write-openapi';
import { listAppRoutes, type AppRoute } from '../support/route-list';
import { startTestApp, type TestApp } from '../support/test-app';

/** Routes served but not part of the API's document, each with the reason. Nothing else may be missing. */
const NOT_DOCUMENTED: Record<string, string> = {
  'GET /api/docs': 'Swagger UI itself',
  'GET /api/docs-json': 'the document itself',
  'GET /api/docs-yaml': 'the document itself',
  // Nest's middleware for `forRoutes('*')` (the CSRF cookie): app.all() layers, not handlers.
  'ALL /api/{*path}': 'middleware',
  'ALL /api$': 'middleware',
};
/** Successes whose body Meta or a browser never reads: the status (or the redirect) is the answer. */
const NO_SUCCESS_BODY: Record<string, string> = {
  'GET /api/integrations/whatsapp/oauth/start': 'a 302 to Meta’s dialog',
  'POST /api/webhooks/whatsapp': 'Meta reads only the status',
};
/** Health answers their own body when they say 503: a load balancer and an operator read the checks. */
const OWN_UNAVAILABLE_BODY: Record<string, string> = {
  'GET /api/health': 'HealthView',
  'GET /api/health/ready': 'ProbeView',
};
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface Operation {
  summary?: string;
  responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');
const refsIn = (value: unknown): string[] => (JSON.stringify(value) ?? '').match(/"#\/components\/schemas\/[^"]+"/g)?.map((ref) => ref.slice(22, -1)) ?? [];

describe('the OpenAPI document (/api/docs)', () => {
  let api: TestApp;
  let document: Document;
  let routes: AppRoute[];
  beforeAll(async () => {
    api = await startTestApp();
    const served = await request(api.server).get('/api/docs-json');
    expect(served.status).toBe(200);
    document = served.body as Document;
    routes = listAppRoutes(api.app).filter((route) => !route.path.startsWith('/api/docs/'));
  });
  afterAll(() => api.close());

  const operation = (route: AppRoute): Operation | undefined => document.paths[openApiPath(route.path)]?.[route.method.toLowerCase()];
  const documented = () => routes.filter((route) => !(route.key in NOT_DOCUMENTED));

  it('lists every route the app serves, and no other', () => {
    expect(
      documented()
        .filter((route) => !operation(route))
        .map((route) => route.key),
    ).toEqual([]);
    const served = new Set(routes.map((route) => `${route.method} ${openApiPath(route.path)}`));
    const extra = Object.entries(document.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`))
      .filter((key) => !served.has(key));
    expect(extra).toEqual([]);
    // The exceptions are real routes: a stale entry would hide a new route of the same name.
    expect(Object.keys(NOT_DOCUMENTED).filter((key) => !routes.some((route) => route.key === key))).toEqual([]);
  });

  it('gives every route a summary and a success response with its schema', () => {
    const problems = documented().flatMap((route) => {
      const op = operation(route);
      if (!op) return [];
      const found: string[] = [];
      if (!op.summary?.trim()) found.push(`${route.key}: no summary`);
      const successes = Object.keys(op.responses).filter((status) => /^[23]\d\d$/.test(status));
      if (successes.length === 0) found.push(`${route.key}: no success response`);
      for (const status of successes) {
        const schemas = Object.values(op.responses[status].content ?? {}).filter((media) => media.schema);
        const bodiless = status === '204' || route.key in NO_SUCCESS_BODY;
        if (!bodiless && schemas.length === 0) found.push(`${route.key}: ${status} has no schema`);
      }
      return found;
    });
    expect(problems).toEqual([]);
  });

  it('documents the error shape and the statuses the guards answer with', () => {
    const problems = documented().flatMap((route) => {
      const op = operation(route);
      if (!op) return [];
      const statuses = Object.keys(op.responses);
      const found: string[] = [];
      for (const status of statuses.filter((s) => /^[45]\d\d$/.test(s))) {
        const expected = OWN_UNAVAILABLE_BODY[route.key] && status === '503' ? OWN_UNAVAILABLE_BODY[route.key] : 'ApiErrorBody';
        if (refsIn(op.responses[status].content?.['application/json']?.schema).join() !== expected) found.push(`${route.key}: ${status} is not ${expected}`);
      }
      const expected = [
        !route.isPublic && '401',
        (route.roles || route.operatorOnly || (STATE_CHANGING.has(route.method) && !route.skipCsrf)) && '403',
        route.guards.some((guard) => /Throttler|MetaCallLimit/.test(guard)) && '429',
        route.params.length > 0 && '404',
      ].filter((status): status is string => Boolean(status));
      for (const status of expected) if (!statuses.includes(status)) found.push(`${route.key}: ${status} not documented`);
      return found;
    });
    expect(problems).toEqual([]);
  });

  it('resolves every schema it references', () => {
    const missing = refsIn(document).filter((name) => !(name in document.components.schemas));
    expect([...new Set(missing)]).toEqual([]);
  });

  it('matches the contracts and the committed docs/openapi.json (npm run openapi rewrites both)', () => {
    expect(JSON.parse(readFileSync(CONTRACT_SCHEMAS_FILE, 'utf8'))).toEqual(generateContractSchemas());
    expect(JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'))).toEqual(document);
  });
});
