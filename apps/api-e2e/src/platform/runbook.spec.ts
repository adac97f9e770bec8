import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { ApiConfig } from '@waba/api/config/api-config';

describe('docs/runbook.md', () => {
  it('describes every setting the API reads', () => {
    const runbook = readFileSync(resolve(__dirname, '../../../../docs/runbook.md'), 'utf8');
    const settings = [
      ...new Set(
        getMetadataStorage()
          .getTargetValidationMetadatas(ApiConfig, '', true, false)
          .map((metadata) => metadata.propertyName),
      ),
    ];
    expect(settings.length).toBeGreaterThan(30);
    expect(settings.filter((name) => !runbook.includes(`| \`${name}\` |`))).toEqual([]);
  });
});
