import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { signWebhookPayload, WebhookPayload } from '@waba/meta-graph';
import { randomUUID } from 'node:crypto';
import { SANDBOX_OPTIONS, SandboxOptions } from '../sandbox-options';
import { WorldStore } from '../world/world.store';

export interface DeliveryAttempt {
  attempt: number;
  at: string;
  durationMs: number;
  /** The receiver's HTTP status; absent when no answer came. */
  status?: number;
  error?: string;
  /** The start of the receiver's answer, for debugging. */
  responseBody?: string;
}

export interface WebhookDelivery {
  id: string;
  url: string;
  state: 'pending' | 'delivered' | 'failed';
  createdAt: string;
  /** The exact bytes sent (as UTF-8 text) and their signature. */
  body: string;
  signature: string;
  attempts: DeliveryAttempt[];
}

/**
 * Posts webhook payloads like Meta: signed with `X-Hub-Signature-256` over the exact bytes sent,
 * retried with doubling delays until the receiver answers 200 (any other answer is a failure).
 */
@Injectable()
export class WebhookSenderService implements OnModuleDestroy {
  private readonly deliveries = new Map<string, WebhookDelivery>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  private closed = false;

  constructor(
    @Inject(SANDBOX_OPTIONS) private readonly options: SandboxOptions,
    private readonly world: WorldStore,
  ) {}

  deliver(url: string, payload: WebhookPayload): WebhookDelivery {
    const body = serializeWebhookBody(payload, this.world.settings.webhookEscapeUnicode);
    const delivery: WebhookDelivery = {
      id: randomUUID(),
      url,
      state: 'pending',
      createdAt: new Date().toISOString(),
      body,
      signature: signWebhookPayload(Buffer.from(body, 'utf8'), this.options.appSecret),
      attempts: [],
    };
    this.deliveries.set(delivery.id, delivery);
    void this.attempt(delivery);
    return delivery;
  }

  list(): WebhookDelivery[] {
    return [...this.deliveries.values()];
  }

  find(id: string): WebhookDelivery | undefined {
    return this.deliveries.get(id);
  }

  onModuleDestroy(): void {
    this.closed = true;
    this.timers.forEach((timer) => clearTimeout(timer));
    this.inFlight.forEach((controller) => controller.abort());
  }

  private async attempt(delivery: WebhookDelivery): Promise<void> {
    const policy = this.world.settings.webhookRetry;
    const started = Date.now();
    const record: DeliveryAttempt = { attempt: delivery.attempts.length + 1, at: new Date(started).toISOString(), durationMs: 0 };
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timeout = setTimeout(() => controller.abort(), policy.timeoutMs);
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': delivery.signature,
          'user-agent': 'facebookexternalua',
        },
        body: Buffer.from(delivery.body, 'utf8'),
        signal: controller.signal,
      });
      record.status = response.status;
      record.responseBody = (await response.text()).slice(0, 500);
    } catch (error) {
      record.error = error instanceof Error ? describeFailure(error) : String(error);
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
    record.durationMs = Date.now() - started;
    delivery.attempts.push(record);
    if (record.status === 200) {
      delivery.state = 'delivered';
    } else if (delivery.attempts.length >= policy.maxAttempts) {
      delivery.state = 'failed';
    } else if (!this.closed) {
      this.scheduleRetry(delivery, policy.baseDelayMs * 2 ** (delivery.attempts.length - 1));
    }
  }

  private scheduleRetry(delivery: WebhookDelivery, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(delivery);
    }, delayMs);
    this.timers.add(timer);
  }
}

/** Meta's form: JSON with every non-ASCII character escaped as lowercase `\uXXXX` (docs/meta.md §6.2). */
export function serializeWebhookBody(payload: WebhookPayload, escapeUnicode: boolean): string {
  const json = JSON.stringify(payload);
  if (!escapeUnicode) return json;
  return json.replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function describeFailure(error: Error): string {
  if (error.name === 'AbortError') return 'timed out';
  const code = (error as { cause?: { code?: string } }).cause?.code;
  return code ? `connection failed (${code})` : error.message;
}
