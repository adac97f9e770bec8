import type { INestApplicationContext } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { WebhookJobs } from '@waba/api/webhooks/webhook-jobs';

/**
 * Resolves once every stored webhook delivery has been applied: nothing left in the inbox and no
 * webhook job waiting, running or delayed. Applying happens after the 200, in a BullMQ worker.
 */
export async function webhooksSettled(app: INestApplicationContext, timeoutMs = 20_000): Promise<void> {
  const inbox = app.get<Connection>(getConnectionToken()).collection('webhook_inbox');
  const jobs = app.get(WebhookJobs);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await inbox.countDocuments()) === 0 && (await jobs.pending()) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`webhook deliveries were still waiting after ${timeoutMs} ms`);
}
