import type { Request, RequestHandler, Response } from 'express';
import { sendError } from '../common/errors/all-exceptions.filter';
import { WEBHOOK_SIGNATURE_HEADER } from '@waba/meta-graph';
import type { RouteAheadOfNest } from '../openapi/openapi-document';
import { contractRef } from '../openapi/api-route.decorator';
import type { WebhookIngestService } from './webhook-ingest.service';

export const WEBHOOK_PATH = '/api/webhooks/whatsapp';

/**
 * `POST /api/webhooks/whatsapp`, Meta's delivery endpoint, as a plain express route registered
 * ahead of Nest's pipeline (create-api-app.ts). It is the one route that takes Meta's full volume
 * and needs none of that pipeline: no session, CSRF, cookies, validation or browser headers — the
 * signature over the raw bytes is its authentication. Errors get the same answer as everywhere
 * (sendError). The verification handshake (GET) stays in WebhooksController.
 */
export function webhookReceiver(ingest: WebhookIngestService): RequestHandler {
  return function receiveWebhook(request: Request, response: Response) {
    const body: unknown = request.body;
    ingest.ingest(Buffer.isBuffer(body) ? body : Buffer.alloc(0), request.header(WEBHOOK_SIGNATURE_HEADER)).then(
      () => response.status(200).end(),
      (error: unknown) => sendError(error, response, request),
    );
  };
}

const errorAnswer = (description: string) => ({ description, content: { 'application/json': { schema: contractRef('ApiErrorBody') } } });

/** The OpenAPI description of this route (it has no controller for the document to read). */
export const WEBHOOK_DELIVERY_ROUTE: RouteAheadOfNest = {
  path: WEBHOOK_PATH,
  method: 'post',
  operation: {
    tags: ['webhooks'],
    summary: "Meta's webhook deliveries for every tenant: stored, then acknowledged; applied by workers",
    description: 'Signed by Meta (HMAC-SHA256 of the raw body with the app secret). A duplicate is acknowledged too. Without a 200, Meta retries.',
    parameters: [{ name: 'X-Hub-Signature-256', in: 'header', required: true, description: 'sha256=<hex HMAC of the raw body>', schema: { type: 'string' } }],
    requestBody: {
      required: true,
      description: "Meta's webhook payload (object: whatsapp_business_account, entry[].changes[]), up to 3 MB",
      content: { 'application/json': { schema: { type: 'object' } } },
    },
    responses: {
      200: { description: 'Stored (or already stored); no body' },
      401: errorAnswer('The signature is missing or does not match the body'),
      413: errorAnswer('The request body is too large'),
      503: errorAnswer('The database is unavailable; Meta retries'),
    },
  },
};
