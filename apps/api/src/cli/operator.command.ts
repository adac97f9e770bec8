import { Command, SubCommand } from 'nest-commander';
import { OperatorGrantsService } from '../accounts/operator-grants.service';
import { CommandGroup, JsonCommandRunner, OperatorCommandRunner } from './command-group';

/** `operator grant|revoke <email>`: the address is checked here, whether anyone has it by the service. */
abstract class OperatorRightsCommand extends OperatorCommandRunner {
  protected abstract change(operators: OperatorGrantsService, email: string): Promise<string>;

  async run(args: string[]): Promise<void> {
    const email = args[0];
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) this.command.error(`error: "${email}" is not an email address.`);
    console.log(await this.change(await this.context.get(OperatorGrantsService), email));
  }
}

@SubCommand({
  name: 'grant',
  arguments: '<email>',
  argsDescription: { email: 'the email of an existing user' },
  description: 'Gives an existing user the cross-tenant operator views (unroutable and rejected webhooks, the job queues); recorded in the audit log.',
})
export class OperatorGrantCommand extends OperatorRightsCommand {
  protected async change(operators: OperatorGrantsService, email: string): Promise<string> {
    return (await operators.grantOperator(email)) ? `${email} is now an operator.` : `${email} already was an operator.`;
  }
}

@SubCommand({
  name: 'revoke',
  arguments: '<email>',
  argsDescription: { email: 'the email of an operator' },
  description: "Takes the operator views away again, from the user's next request on; recorded in the audit log.",
})
export class OperatorRevokeCommand extends OperatorRightsCommand {
  protected async change(operators: OperatorGrantsService, email: string): Promise<string> {
    return (await operators.revokeOperator(email)) ? `${email} is no longer an operator.` : `${email} was not an operator.`;
  }
}

@SubCommand({ name: 'list', description: 'Lists who has operator rights, with their tenant and since when.' })
export class OperatorListCommand extends JsonCommandRunner {
  async run(_args: string[], options: { json?: boolean }): Promise<void> {
    const operators = await (await this.context.get(OperatorGrantsService)).listOperators();
    if (options.json) console.log(JSON.stringify(operators));
    else if (!operators.length) console.log('No operators.');
    else console.table(operators.map((o) => ({ email: o.email, name: o.name, tenant: o.accountName ?? '(no account)', since: o.grantedAt.toISOString() })));
  }
}

@Command({ name: 'operator', description: 'Operator rights (operator grant | revoke | list)', subCommands: [OperatorGrantCommand, OperatorRevokeCommand, OperatorListCommand] })
export class OperatorCommand extends CommandGroup {}
