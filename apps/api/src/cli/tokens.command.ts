import { Command, Option, SubCommand } from 'nest-commander';
import { TokenSweepService, type SweepSummary } from '../token-refresh/token-sweep.service';
import { CommandGroup, JsonCommandRunner } from './command-group';
import { EXIT } from './exit-codes';
import { progressBar } from './progress-bar';

interface TokensCheckOptions {
  dryRun?: boolean;
  account?: string;
  concurrency?: number;
  all?: boolean;
  json?: boolean;
}

/** The scheduled credential check on demand (token-sweep.service.ts); exit 1 when a check failed. */
@SubCommand({
  name: 'check',
  description: 'Checks the credentials that are due now (every one with --all): queues the checks as jobs, runs them with a worker of its own and waits for them.',
})
export class TokensCheckCommand extends JsonCommandRunner {
  @Option({ flags: '--dry-run', description: 'only read and ask Meta: queue nothing, change nothing' })
  parseDryRun(): boolean {
    return true;
  }

  @Option({ flags: '--account <id>', description: "only this tenant's credentials (its account id, 24 hex characters)" })
  parseAccount(value: string): string {
    if (!/^[a-f0-9]{24}$/i.test(value)) this.command.error(`error: --account needs an account id (24 hex characters), not "${value}".`);
    return value;
  }

  @Option({ flags: '--concurrency <n>', description: "checks this run's worker makes at once, 1 to 200 (default: TOKEN_CHECK_CONCURRENCY)" })
  parseConcurrency(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 200) this.command.error(`error: --concurrency needs a whole number from 1 to 200, not "${value}".`);
    return n;
  }

  @Option({ flags: '--all', description: 'check every credential in scope now, not only those due' })
  parseAll(): boolean {
    return true;
  }

  async run(_args: string[], options: TokensCheckOptions): Promise<void> {
    const sweeps = await this.context.get(TokenSweepService);
    const progress = progressBar('token checks', !options.json);
    let summary: SweepSummary;
    try {
      summary = await sweeps.sweep({ trigger: 'manual', dryRun: options.dryRun, accountId: options.account, concurrency: options.concurrency, all: options.all, progress: progress.update });
    } finally {
      progress.stop();
    }
    if (options.json) console.log(JSON.stringify(summary));
    else printSummary(summary);
    if (summary.counts.failed > 0) process.exitCode = EXIT.workFailed;
  }
}

function printSummary(summary: SweepSummary): void {
  const { counts } = summary;
  console.log(`${summary.dryRun ? 'Dry run (nothing changed): would have' : 'Token check'} run ${summary.runId} on ${summary.instanceId}, ${(summary.durationMs / 1000).toFixed(1)} s`);
  console.table({
    checked: counts.checked,
    [summary.dryRun ? 'would extend' : 'extended']: counts.extended,
    healthy: counts.healthy,
    'needs reauth': counts.needsReauth,
    failed: counts.failed,
    'deferred (rate limit)': counts.deferred,
  });
}

@Command({ name: 'tokens', description: 'Meta credentials (tokens check)', subCommands: [TokensCheckCommand] })
export class TokensCommand extends CommandGroup {}
