import { Injectable, Module } from '@nestjs/common';
import type { Command } from 'commander';
import { InjectCommander } from 'nest-commander';
import { KeysCommand } from './keys.command';
import { OperatorCommand } from './operator.command';
import { OperatorContext } from './operator-context';
import { TenantsCommand } from './tenants.command';
import { TokensCommand } from './tokens.command';
import { WebhooksCommand } from './webhooks.command';

/** The root of commander's tree that nest-commander built (cli.ts configures every command in it). */
@Injectable()
export class CommandTree {
  constructor(@InjectCommander() readonly root: Command) {}
}

/** The operator commands (nest-commander); the API's modules come from OperatorContext when a command runs. */
@Module({
  providers: [
    OperatorContext,
    CommandTree,
    ...TokensCommand.registerWithSubCommands(),
    ...KeysCommand.registerWithSubCommands(),
    ...OperatorCommand.registerWithSubCommands(),
    ...WebhooksCommand.registerWithSubCommands(),
    ...TenantsCommand.registerWithSubCommands(),
  ],
})
export class CliCommandsModule {}
