/**
 * Operator commands, run with the API's configuration:
 *   node dist/apps/api/cli.js rotate-key [--dry-run]
 */
import { NestFactory } from '@nestjs/core';
import { InvalidConfigError, loadApiConfig } from './config/api-config';
import { CliModule } from './maintenance/cli.module';
import { KeyRotationService } from './maintenance/key-rotation.service';

const USAGE = 'Usage: cli.js rotate-key [--dry-run]';

async function main(argv: string[]): Promise<number> {
  const [command, ...flags] = argv;
  if (command !== 'rotate-key') {
    console.error(USAGE);
    return 2;
  }
  const unknown = flags.filter((f) => f !== '--dry-run');
  if (unknown.length) {
    console.error(`Unknown option ${unknown.join(', ')}. ${USAGE}`);
    return 2;
  }
  const config = loadApiConfig(process.env);
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    const dryRun = flags.includes('--dry-run');
    const summary = await app.get(KeyRotationService).rotate({ dryRun, progress: (line) => console.log(line) });
    console.log(`${dryRun ? 'Dry run: would re-encrypt' : 'Re-encrypted'} under key "${summary.activeKeyId}":`);
    console.table({ tokens: summary.tokens, pins: summary.pins });
    return 0;
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof InvalidConfigError ? error.message : (error as Error).message);
    process.exit(1);
  },
);
