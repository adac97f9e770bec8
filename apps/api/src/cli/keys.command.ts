import { Command, Option, SubCommand } from 'nest-commander';
import { KeyRotationService, type RotationSummary } from '../maintenance/key-rotation.service';
import { CommandGroup, JsonCommandRunner } from './command-group';
import { progressBar } from './progress-bar';

interface KeysRotateOptions {
  dryRun?: boolean;
  json?: boolean;
}

@SubCommand({
  name: 'rotate',
  description: 'Re-encrypts every stored Meta token and PIN under TOKEN_ENCRYPTION_ACTIVE_KEY (add the new key to TOKEN_ENCRYPTION_KEYS first, keep the old one until this has run).',
})
export class KeysRotateCommand extends JsonCommandRunner {
  @Option({ flags: '--dry-run', description: 'count what would be re-encrypted, write nothing' })
  parseDryRun(): boolean {
    return true;
  }

  async run(_args: string[], options: KeysRotateOptions): Promise<void> {
    const rotation = await this.context.get(KeyRotationService);
    const dryRun = options.dryRun ?? false;
    const progress = progressBar('secrets', !options.json);
    let summary: RotationSummary;
    try {
      summary = await rotation.rotate({ dryRun, progress: progress.update });
    } finally {
      progress.stop();
    }
    if (options.json) {
      console.log(JSON.stringify({ dryRun, ...summary }));
      return;
    }
    console.log(`${dryRun ? 'Dry run (nothing changed): would re-encrypt' : 'Re-encrypted'} under key "${summary.activeKeyId}":`);
    console.table({ tokens: summary.tokens, pins: summary.pins });
  }
}

@Command({ name: 'keys', description: 'The token-encryption keys (keys rotate)', subCommands: [KeysRotateCommand] })
export class KeysCommand extends CommandGroup {}
