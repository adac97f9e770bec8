/**
 * The operator command line (nest-commander), run with the API's settings:
 *   node dist/apps/api/cli.js --help
 *   node dist/apps/api/cli.js tokens check | keys rotate | operator grant|revoke|list
 *                             | webhooks unroutable | webhooks replay <id> | tenants list
 * `npm run cli -- <command>` builds the API and fills the settings from a running `npm start`
 * (tools/operator.ts). Exit codes: 0 done, 1 the work failed, 2 bad usage or configuration.
 */
import { CommandFactory } from 'nest-commander';
import { CliCommandsModule, CommandTree } from './cli/cli-commands.module';
import { EXIT, configureCommandTree, reportFailure } from './cli/exit-codes';

async function main(): Promise<number> {
  let failure: number | undefined;
  const app = await CommandFactory.createWithoutRunning(CliCommandsModule, {
    logger: ['error', 'warn'],
    // Every error of a command ends here: commander's (already printed), domain and configuration errors.
    serviceErrorHandler: (error) => void (failure = reportFailure(error)),
  });
  try {
    const { root } = app.get(CommandTree);
    root.name('cli.js').description("WABA Connect operator commands, run with the API's settings (MONGODB_URI, REDIS_URL, TOKEN_ENCRYPTION_KEYS, META_*).");
    configureCommandTree(root);
    await CommandFactory.runApplication(app);
  } finally {
    await app.close();
  }
  return failure ?? (typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => process.exit(reportFailure(error)),
);
