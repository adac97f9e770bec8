import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { parse } from 'yaml';
import { ApiConfig, loadApiConfig } from '@waba/api/config/api-config';
import { COMPOSE_FILE, DOCKERFILE, lintComposeFile, lintDockerfile } from '@waba/tools/containers/container-checks';
import { MAINTAINED_NODE_MAJOR } from '@waba/tools/maintained-node';

/** The container files cannot run here (no Docker engine): they are linted, and read for what they promise. */
interface ComposeService {
  image?: string;
  command?: string[] | string;
  environment?: Record<string, string>;
  healthcheck?: { disable?: boolean };
}
const compose = parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
const services = Object.entries(compose.services);
const apiServices = services.filter(([, service]) => service.environment?.['INSTANCE_ROLE']);
const commandOf = (service: ComposeService) => [service.command ?? []].flat().join(' ');
const dockerfile = readFileSync(DOCKERFILE, 'utf8');

describe('the container image and compose file', () => {
  it('the Dockerfile passes dockerfilelint', () => {
    expect(lintDockerfile()).toEqual([]);
  });

  it('docker-compose.yml passes dclint and the compose-spec schema', () => {
    expect(lintComposeFile()).toBeNull();
  });

  it('the lint fails on a Dockerfile with a known mistake', () => {
    const folder = mkdtempSync(join(tmpdir(), 'waba-dockerfile-'));
    writeFileSync(join(folder, 'Dockerfile'), 'FROM node:24-bookworm-slim\nRUN apt-get update && apt-get install curl\n');
    try {
      expect(lintDockerfile(join(folder, 'Dockerfile')).join('\n')).toMatch(/`-y` flag/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('runs the maintained Node that CI tests on, as a non-root user, with a health check', () => {
    const stages = [...dockerfile.matchAll(/^FROM\s+node:(\d+)-\S+/gm)].map((match) => Number(match[1]));
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages.every((major) => major === MAINTAINED_NODE_MAJOR)).toBe(true);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM ')).replace(/\\\n\s*/g, ' ');
    expect(runtime).toMatch(/^USER (?!root\b)\w+/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\/api\/health/m);
    expect(runtime).toMatch(/npm ci --omit=dev/);
  });

  it('runs a three-node MongoDB replica set, initiated once, and Redis with its append-only file', () => {
    const mongods = services.filter(([, service]) => /^mongod\b.*--replSet rs0/.test(commandOf(service))).map(([name]) => name);
    expect(mongods).toHaveLength(3);
    const init = services.find(([, service]) => commandOf(service).includes('rs.initiate'));
    for (const name of mongods) expect(commandOf(init?.[1] ?? {})).toContain(`'${name}:27017'`);
    const redis = services.find(([, service]) => commandOf(service).startsWith('redis-server'))?.[1];
    expect(commandOf(redis ?? {})).toMatch(/--appendonly yes/);
    expect(commandOf(redis ?? {})).toMatch(/--maxmemory-policy noeviction/);
    for (const [, service] of apiServices) expect(service.environment?.['MONGODB_URI']).toBe(`mongodb://${mongods.map((name) => `${name}:27017`).join(',')}/waba?replicaSet=rs0`);
  });

  it('runs two http and two worker instances of the one image, with live-mode settings the API accepts', () => {
    const roles = apiServices.map(([, service]) => service.environment?.['INSTANCE_ROLE']).sort();
    expect(roles).toEqual(['http', 'http', 'worker', 'worker']);
    expect(new Set(apiServices.map(([, service]) => service.image)).size).toBe(1);
    for (const [, service] of apiServices.filter(([, s]) => s.environment?.['INSTANCE_ROLE'] === 'worker')) expect(service.healthcheck?.disable).toBe(true);

    const settings = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(ApiConfig, '', true, false)
        .map((metadata) => metadata.propertyName),
    );
    for (const [name, service] of apiServices) {
      const environment = service.environment ?? {};
      // A misspelt setting would be dropped silently by the API's whitelist.
      expect({ [name]: Object.keys(environment).filter((key) => !settings.has(key)) }).toEqual({ [name]: [] });
      // Placeholders as an operator fills them in: `${NAME:?hint}` and `${NAME:-}`.
      const filled = Object.fromEntries(
        Object.entries(environment).map(([key, value]) => [key, String(value).replace(/\$\{(\w+):[?-][^}]*\}/g, (_, variable: string) => SAMPLE_VALUES[variable] ?? '')]),
      );
      expect(environment['META_MODE']).toBe('live');
      expect(() => loadApiConfig(filled)).not.toThrow();
    }
  });
});

const SAMPLE_VALUES: Record<string, string> = {
  TOKEN_ENCRYPTION_KEYS: `prod-1:${Buffer.alloc(32, 1).toString('base64')}`,
  PUBLIC_URL: 'https://waba.example.com',
  META_APP_ID: '1234567890',
  META_APP_SECRET: 'an app secret',
  META_CONFIG_ID: '987654321',
  META_WEBHOOK_VERIFY_TOKEN: 'a verify token',
};
