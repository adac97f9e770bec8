import { Injectable } from '@nestjs/common';
import { verifyWebhookSignature } from '@waba/meta-graph';
import { createHash } from 'node:crypto';
import { Clock } from '../common/clock/clock';
import { UnauthorizedError } from '../common/errors/domain-errors';
import { ApiConfig } from '../config/api-config';
import { WebhookProcessor } from './webhook-processor.service';
import { WebhooksRepository } from './webhooks.repository';

/**
 * The hot path of `POST /api/webhooks/whatsapp`: check the signature over the raw bytes, store the
 * delivery, and let the processor apply it after the 200. Nothing else happens before the answer.
 */
@Injectable()
export class WebhookIngestService {
  constructor(
    private readonly repository: WebhooksRepository,
    private readonly processor: WebhookProcessor,
    private readonly config: ApiConfig,
    private readonly clock: Clock,
  ) {}

  verifyHandshake(mode: unknown, verifyToken: unknown, challenge: unknown): string | null {
    return mode === 'subscribe' && verifyToken === this.config.META_WEBHOOK_VERIFY_TOKEN && typeof challenge === 'string' ? challenge : null;
  }

  /** Resolves once the delivery is durably stored (or known); throws when the signature is wrong. */
  async ingest(rawBody: Buffer, signature: string | undefined): Promise<void> {
    if (!verifyWebhookSignature(rawBody, signature, this.config.META_APP_SECRET)) {
      throw new UnauthorizedError(signature ? 'The X-Hub-Signature-256 signature does not match the body' : 'The X-Hub-Signature-256 header is missing');
    }
    const text = rawBody.toString('utf8');
    // Malformed JSON is stored as rejected and acknowledged: Meta would otherwise resend it for 7 days.
    const malformed = !isJsonObject(text);
    const stored = await this.repository.insertDelivery({
      bodySha256: createHash('sha256').update(rawBody).digest('hex'),
      rawBody: text,
      sizeBytes: rawBody.length,
      receivedAt: this.clock.now(),
      status: malformed ? 'rejected' : 'received',
      error: malformed ? 'The body is not a JSON object' : null,
    });
    if (stored && !malformed) this.processor.wake();
  }
}

function isJsonObject(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}
