/**
 * Lints the container files, which cannot be built or run on our machines (no Docker engine):
 * the Dockerfile with dockerfilelint, docker-compose.yml with dclint (the compose-spec JSON
 * schema it ships, node_modules/dclint/schemas/compose.schema.json, plus its rules; .dclintrc.yaml).
 * `npm run lint:containers` runs both; apps/api-e2e/src/platform/containers.spec.ts runs them in the test run.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { run as dockerfilelint } from 'dockerfilelint';

const root = resolve(__dirname, '../..');
export const DOCKERFILE = resolve(root, 'Dockerfile');
export const COMPOSE_FILE = resolve(root, 'docker-compose.yml');
// Its CLI, as `npx dclint` runs it (the package exports no bin path).
const DCLINT = resolve(dirname(require.resolve('dclint/package.json')), 'bin/dclint.cjs');

/**
 * dockerfilelint 1.8.0 reads HEALTHCHECK options with /--\w+/, so `--start-period` becomes
 * `--start` and is refused although its own list allows it (is_valid_healthcheck in
 * node_modules/dockerfilelint/lib/checks.js): that one finding is dropped, nothing else.
 */
const isStartPeriodFalsePositive = (issue: { title: string }, line: string) => issue.title === 'Invalid Argument Format' && /^HEALTHCHECK\b.*--start-period=\d+\w*/.test(line);

/** dockerfilelint's findings, one line each; empty when the Dockerfile is clean. */
export function lintDockerfile(path = DOCKERFILE): string[] {
  const text = readFileSync(path, 'utf8');
  const lines = text.split(/\r?\n/);
  const instruction = (line: number) =>
    lines
      .slice(line - 1)
      .join(' ')
      .replace(/\\\s+/g, ' ');
  return dockerfilelint(root, text)
    .filter((issue) => !isStartPeriodFalsePositive(issue, instruction(issue.line)))
    .map((issue) => `Dockerfile:${issue.line}: ${issue.title} (${issue.rule}): ${issue.description}`);
}

/** dclint's report (schema errors and rule findings, warnings count), or null when docker-compose.yml is clean. */
export function lintComposeFile(path = COMPOSE_FILE): string | null {
  const result = spawnSync(process.execPath, [DCLINT, '--max-warnings', '0', '--color', 'false', path], { cwd: root, encoding: 'utf8' });
  return result.status === 0 ? null : `${result.stdout}${result.stderr}`.trim() || `dclint exited with ${result.status}`;
}

if (require.main === module) {
  const dockerfile = lintDockerfile();
  const compose = lintComposeFile();
  console.log(dockerfile.length === 0 ? 'Dockerfile: clean (dockerfilelint)' : dockerfile.join('\n'));
  console.log(compose ?? 'docker-compose.yml: clean (dclint, compose-spec schema)');
  process.exitCode = dockerfile.length === 0 && compose === null ? 0 : 1;
}
