import type { Request, RequestHandler, Response } from 'express';
import { sendError } from '../common/errors/all-exceptions.filter';
import { WEBHOOK_SIGNATURE_HEADER } from '@waba/meta-graph';
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
