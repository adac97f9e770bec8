import { Command, SubCommand } from 'nest-commander';
import { TenantsOverviewService } from '../maintenance/tenants-overview.service';
import { CommandGroup, JsonCommandRunner } from './command-group';

@SubCommand({ name: 'list', description: 'Lists every tenant (account) with its WABAs and numbers: connected of all.' })
export class TenantsListCommand extends JsonCommandRunner {
  async run(_args: string[], options: { json?: boolean }): Promise<void> {
    const tenants = await (await this.context.get(TenantsOverviewService)).list();
    if (options.json) console.log(JSON.stringify(tenants));
    else if (!tenants.length) console.log('No tenants.');
    else {
      console.table(
        tenants.map((t) => ({
          id: t.id,
          name: t.name,
          since: t.createdAt.toISOString().slice(0, 10),
          'WABAs connected/all': `${t.wabas.connected}/${t.wabas.total}`,
          'numbers connected/all': `${t.numbers.connected}/${t.numbers.total}`,
        })),
      );
    }
  }
}

@Command({ name: 'tenants', description: 'Tenants (tenants list)', subCommands: [TenantsListCommand] })
export class TenantsCommand extends CommandGroup {}
