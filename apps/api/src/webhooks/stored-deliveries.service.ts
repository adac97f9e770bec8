import { Injectable } from '@nestjs/common';
import type { WebhookDeliveryStatus } from '@waba/contracts';
import { NotFoundError } from '../common/errors/domain-errors';
import { WebhookApplication } from './webhook-application.service';
import { idsNamedBy, parseWebhookBody } from '@waba/meta-graph';
import { WebhooksRepository } from './webhooks.repository';

export interface UnroutableDelivery {
  id: string;
  receivedAt: Date;
  wabaIds: string[];
  phoneNumberIds: string[];
  /** The ids nobody owned when it was last applied. */
  unroutableIds: string[];
  reason: string;
}

export interface ReplayOutcome {
  id: string;
  before: WebhookDeliveryStatus;
  after: WebhookDeliveryStatus;
  /** Why it is not applied (still unroutable, not a JSON object), else null. */
  reason: string | null;
}

/** The operator's view of archived deliveries (the `webhooks` commands of apps/api/src/cli.ts). */
@Injectable()
export class StoredDeliveriesService {
  constructor(
    private readonly repository: WebhooksRepository,
    private readonly application: WebhookApplication,
  ) {}

  async listUnroutable(limit: number): Promise<UnroutableDelivery[]> {
    const found = await this.repository.listUnroutableDeliveries(limit);
    return found.map((d) => {
      const envelope = parseWebhookBody(d.rawBody);
      return {
        id: d.id,
        receivedAt: d.receivedAt,
        ...(envelope ? idsNamedBy(envelope) : { wabaIds: [], phoneNumberIds: [] }),
        unroutableIds: d.unroutableIds,
        reason: d.error ?? 'No tenant owns the ids it names',
      };
    });
  }

  /**
   * Applies an archived delivery again, through the workers' path (WebhookApplication) under its
   * first acceptance: events are keyed and number changes set values, so doing it twice is harmless.
   */
  async replay(id: string): Promise<ReplayOutcome> {
    const archived = await this.repository.findArchivedDelivery(id);
    if (!archived) throw new NotFoundError(`No stored webhook delivery has the id ${id}`);
    const entry = { _id: archived.bodySha256, rawBody: archived.rawBody, sizeBytes: archived.sizeBytes, receivedAt: archived.receivedAt, acceptId: archived.acceptId };
    await this.application.apply({ entry, attempt: archived.attempts });
    const after = await this.repository.findArchivedDelivery(id);
    const status = after?.status ?? archived.status;
    return { id, before: archived.status, after: status, reason: status === 'applied' ? null : (after?.error ?? null) };
  }
}
