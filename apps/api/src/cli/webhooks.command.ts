import { Command, Option, SubCommand } from 'nest-commander';
import { StoredDeliveriesService } from '../webhooks/stored-deliveries.service';
import { CommandGroup, JsonCommandRunner } from './command-group';
import { EXIT } from './exit-codes';

@SubCommand({
  name: 'unroutable',
  description:
    'Lists stored deliveries no tenant could take (newest first): id, when received, the WABA and number ids they name, and why. They are applied on their own once the WABA connects; `webhooks replay` does it now.',
})
export class WebhooksUnroutableCommand extends JsonCommandRunner {
  @Option({ flags: '--limit <n>', description: 'at most this many, 1 to 1000 (default 100)' })
  parseLimit(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 1000) this.command.error(`error: --limit needs a whole number from 1 to 1000, not "${value}".`);
    return n;
  }

  async run(_args: string[], options: { limit?: number; json?: boolean }): Promise<void> {
    const deliveries = await (await this.context.get(StoredDeliveriesService)).listUnroutable(options.limit ?? 100);
    if (options.json) console.log(JSON.stringify(deliveries));
    else if (!deliveries.length) console.log('No unroutable deliveries.');
    else {
      console.table(deliveries.map((d) => ({ id: d.id, 'received at': d.receivedAt.toISOString(), WABAs: d.wabaIds.join(', '), numbers: d.phoneNumberIds.join(', '), why: d.reason })));
    }
  }
}

@SubCommand({
  name: 'replay',
  arguments: '<deliveryId>',
  argsDescription: { deliveryId: 'the id `webhooks unroutable` (or the operator view) shows' },
  description: 'Applies a stored delivery again, the way the workers do; doing it twice changes nothing the second time. Exit 1 when it still cannot be applied.',
})
export class WebhooksReplayCommand extends JsonCommandRunner {
  async run(args: string[], options: { json?: boolean }): Promise<void> {
    const id = args[0];
    if (!/^[a-f0-9]{24}$/i.test(id)) this.command.error(`error: "${id}" is not a delivery id (24 hex characters, as \`webhooks unroutable\` shows).`);
    const outcome = await (await this.context.get(StoredDeliveriesService)).replay(id);
    if (outcome.after !== 'applied') process.exitCode = EXIT.workFailed;
    if (options.json) console.log(JSON.stringify(outcome));
    else if (outcome.after === 'applied') console.log(`Delivery ${id} applied${outcome.before === 'applied' ? ' (it was already: nothing changed)' : ` (it was ${outcome.before})`}.`);
    else console.log(`Delivery ${id} is still ${outcome.after}: ${outcome.reason ?? 'see the operator view'}.`);
  }
}

@Command({ name: 'webhooks', description: 'Stored webhook deliveries (webhooks unroutable | replay)', subCommands: [WebhooksUnroutableCommand, WebhooksReplayCommand] })
export class WebhooksCommand extends CommandGroup {}
