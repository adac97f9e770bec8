/**
 * Operator commands, run with the API's configuration:
 *   node dist/apps/api/cli.js rotate-key [--dry-run]
 *   node dist/apps/api/cli.js tokens-check [--dry-run] [--account ID] [--concurrency N] [--all] [--json]
 *   node dist/apps/api/cli.js operators | grant-operator EMAIL | revoke-operator EMAIL
 */
import { NestFactory } from '@nestjs/core';
import { OPERATOR_COMMANDS, OPERATOR_USAGE, runOperatorCommand } from './accounts/operator-command';
import { InvalidConfigError, loadApiConfig } from './config/api-config';
import { CliModule } from './maintenance/cli.module';
import { KeyRotationService } from './maintenance/key-rotation.service';
import { TokenSweepService, type SweepSummary } from './token-refresh/token-sweep.service';

const USAGE = [
  'Usage: cli.js rotate-key [--dry-run]',
  '       cli.js tokens-check [--dry-run] [--account ID] [--concurrency N] [--all] [--json]',
  '         --all   check every credential in scope now, not only those due',
  '         --json  print the summary as one JSON line (no progress bar)',
  OPERATOR_USAGE,
].join('\n');

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...flags] = argv;
  try {
    if (command === 'rotate-key') return await rotateKey(flags);
    if (command === 'tokens-check') return await tokensCheck(parseTokenCheckFlags(flags));
    if (OPERATOR_COMMANDS.includes(command)) return await runOperatorCommand(command, flags);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  console.error(USAGE);
  return 2;
}

async function rotateKey(flags: string[]): Promise<number> {
  const unknown = flags.filter((f) => f !== '--dry-run');
  if (unknown.length) throw new UsageError(`Unknown option ${unknown.join(', ')}.`);
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

interface TokenCheckFlags {
  dryRun: boolean;
  all: boolean;
  json: boolean;
  accountId?: string;
  concurrency?: number;
}

function parseTokenCheckFlags(flags: string[]): TokenCheckFlags {
  const parsed: TokenCheckFlags = { dryRun: false, all: false, json: false };
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i];
    if (flag === '--dry-run') parsed.dryRun = true;
    else if (flag === '--all') parsed.all = true;
    else if (flag === '--json') parsed.json = true;
    else if (flag === '--account') {
      const value = flags[++i];
      if (!value || !/^[a-f0-9]{24}$/i.test(value)) throw new UsageError('--account needs an account id (24 hex characters).');
      parsed.accountId = value;
    } else if (flag === '--concurrency') {
      const value = Number(flags[++i]);
      if (!Number.isInteger(value) || value < 1 || value > 200) throw new UsageError('--concurrency needs a whole number from 1 to 200.');
      parsed.concurrency = value;
    } else throw new UsageError(`Unknown option ${flag}.`);
  }
  return parsed;
}

/** The scheduled check on demand; exits 1 when any credential could not be checked. */
async function tokensCheck(flags: TokenCheckFlags): Promise<number> {
  const config = loadApiConfig(process.env);
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: ['error', 'warn'] });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  try {
    const bar = flags.json ? undefined : progressBar();
    const summary = await app.get(TokenSweepService).sweep({
      trigger: 'manual',
      dryRun: flags.dryRun,
      accountId: flags.accountId,
      concurrency: flags.concurrency,
      all: flags.all,
      progress: bar,
    });
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (flags.json) console.log(JSON.stringify({ ...summary, peakRssBytes: peakRss }));
    else printSummary(summary);
    return summary.counts.failed > 0 ? 1 : 0;
  } finally {
    clearInterval(sampler);
    await app.close();
  }
}

/** A progress bar on stderr: redrawn in place on a terminal, a line per 10 % otherwise. */
function progressBar(): (done: number, total: number) => void {
  const width = 30;
  let lastTenth = -1;
  return (done, total) => {
    const share = total > 0 ? Math.min(1, done / total) : 1;
    const line = `[${'#'.repeat(Math.round(share * width)).padEnd(width, '.')}] ${done}/${total}`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}${share >= 1 ? '\n' : ''}`);
    else if (Math.floor(share * 10) > lastTenth) {
      lastTenth = Math.floor(share * 10);
      process.stderr.write(`${line}\n`);
    }
  };
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof InvalidConfigError ? error.message : (error as Error).message);
    process.exit(1);
  },
);
