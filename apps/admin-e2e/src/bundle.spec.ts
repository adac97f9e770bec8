import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from './support/fixtures';

// The SPA imports @waba/contracts for types, and values only through its side entries
// (account-rules, realtime, status, errors): a value from the barrel would also pull in the
// request classes, and with them class-validator (found by the key it keeps its metadata under), into the browser.
test('the SPA bundle carries no request-validation code', () => {
  const browserDir = resolve(__dirname, '../../../dist/apps/admin/browser');
  const scripts = readdirSync(browserDir).filter((file) => file.endsWith('.js'));
  expect(scripts.length).toBeGreaterThan(0);
  const carrying = scripts.filter((file) => /classValidatorMetadataStorage/.test(readFileSync(join(browserDir, file), 'utf8')));
  expect(carrying).toEqual([]);
});
