import type { Command } from 'commander';
import { DomainError } from '../common/errors/domain-errors';
import { InvalidConfigError } from '../config/api-config';

/** The CLI's exit codes (also in every command's --help and in README.md). */
export const EXIT = { ok: 0, workFailed: 1, usage: 2 } as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0  done
  1  the work failed (a check or a replay did not succeed, an unknown user or delivery)
  2  bad usage or configuration (unknown command or option, invalid value, missing setting)`;

/** Commander's own errors carry their code; help and --version exit 0, every other one is bad usage. */
function isCommanderError(error: unknown): error is Error & { exitCode: number; code: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('commander.');
}

/**
 * Turns what a command threw into words on stderr and an exit code: no stack traces. Commander
 * printed its own message already; domain errors (services) and configuration errors are printed here.
 */
export function reportFailure(error: unknown): number {
  if (isCommanderError(error)) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (error instanceof InvalidConfigError) {
    process.stderr.write(`error: ${error.message}\n`);
    return EXIT.usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(error instanceof DomainError ? `${message}\n` : `error: ${message}\n`);
  return EXIT.workFailed;
}

/** Every command: throws instead of exiting (so the exit code is ours), points to --help after a usage error, documents the exit codes. */
export function configureCommandTree(command: Command): void {
  command.exitOverride();
  command.showHelpAfterError(`(run "${commandPath(command)} --help" for usage)`);
  command.addHelpText('after', EXIT_CODES_HELP);
  // Leaf commands refuse stray arguments; group commands see them in run() to name the unknown subcommand.
  if (!command.commands.length) command.allowExcessArguments(false);
  for (const sub of command.commands) configureCommandTree(sub);
}

export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}
