import { Injectable } from '@nestjs/common';
import { CommandRunner, Option } from 'nest-commander';
import { OperatorContext } from './operator-context';

/** A command that only groups others (`tokens`, `keys` …): alone it is bad usage and shows its help. */
export abstract class CommandGroup extends CommandRunner {
  async run(args: string[]): Promise<void> {
    if (args.length) this.command.error(`error: unknown command '${args[0]}'`);
    this.command.help({ error: true });
  }
}

/** A command that does its work with the API's services (created on first use by OperatorContext). */
@Injectable()
export abstract class OperatorCommandRunner extends CommandRunner {
  constructor(protected readonly context: OperatorContext) {
    super();
  }
}

/** …and prints its result as one line of JSON with `--json`, for scripts. */
export abstract class JsonCommandRunner extends OperatorCommandRunner {
  @Option({ flags: '--json', description: 'print the result as one line of JSON (no progress bar, no table)' })
  parseJson(): boolean {
    return true;
  }
}
