/**
 * The operator-rights commands of the API's command line (apps/api/src/cli.ts dispatches to them):
 *   cli.js operators                  lists who has operator rights
 *   cli.js grant-operator EMAIL       gives an existing user the cross-tenant operator views
 *   cli.js revoke-operator EMAIL      takes them away again, from the user's next request on
 */
import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommonModule } from '../common/common.module';
import { DomainError } from '../common/errors/domain-errors';
import { loadApiConfig, type ApiConfig } from '../config/api-config';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { JobsModule } from '../jobs/jobs.module';
import { RedisModule } from '../redis/redis.module';
import { AccountsModule } from './accounts.module';
import { OperatorGrantsService } from './operator-grants.service';

export const OPERATOR_COMMANDS: readonly string[] = ['operators', 'grant-operator', 'revoke-operator'];

export const OPERATOR_USAGE = [
  '       cli.js operators',
  '       cli.js grant-operator EMAIL',
  '       cli.js revoke-operator EMAIL',
].join('\n');

@Module({})
class OperatorCommandModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return { module: OperatorCommandModule, imports: [ConfigModule.forRoot(config), CommonModule, DatabaseModule, RedisModule, JobsModule, AccountsModule] };
  }
}

export interface OperatorCommandIo {
  env?: NodeJS.ProcessEnv | Record<string, string | undefined>;
  print?: (line: string) => void;
  printError?: (line: string) => void;
}

/** Exit code 0 on success, 1 when the user is unknown, 2 for a usage error. */
export async function runOperatorCommand(command: string, args: string[], io: OperatorCommandIo = {}): Promise<number> {
  const print = io.print ?? ((line: string) => console.log(line));
  const printError = io.printError ?? ((line: string) => console.error(line));
  const email = args[0];
  if (command !== 'operators' && (args.length !== 1 || !email.includes('@'))) {
    printError(`${command} needs exactly one email address.\nUsage:\n${OPERATOR_USAGE}`);
    return 2;
  }
  if (command === 'operators' && args.length > 0) {
    printError(`operators takes no arguments.\nUsage:\n${OPERATOR_USAGE}`);
    return 2;
  }
  const config = loadApiConfig(io.env ?? process.env);
  const app = await NestFactory.createApplicationContext(OperatorCommandModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    const operators = app.get(OperatorGrantsService);
    if (command === 'grant-operator') {
      print((await operators.grantOperator(email)) ? `${email} is now an operator.` : `${email} already was an operator.`);
    } else if (command === 'revoke-operator') {
      print((await operators.revokeOperator(email)) ? `${email} is no longer an operator.` : `${email} was not an operator.`);
    } else {
      const list = await operators.listOperators();
      if (list.length === 0) print('No operators.');
      for (const o of list) print(`${o.email}\t${o.name}\t${o.accountName ?? '(no account)'}\tsince ${o.grantedAt.toISOString()}`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    printError(error.message);
    return 1;
  } finally {
    await app.close();
  }
}
