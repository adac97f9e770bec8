import { startApiWithSandbox, type Sandbox } from './meta-sandbox';
import type { TestApp } from './test-app';

/**
 * The usual suite set-up: one API and one Meta sandbox for the whole suite, closed after it, and
 * (unless `resetEachTest` is false) every test starting from a reset sandbox and an empty
 * database. `started` receives them once they run.
 */
export function useApiWithSandbox(started: (running: { api: TestApp; sandbox: Sandbox }) => void, settings: Record<string, string> = {}, { resetEachTest = true } = {}): void {
  let running: { api: TestApp; sandbox: Sandbox } | undefined;
  beforeAll(async () => {
    running = await startApiWithSandbox(settings);
    started(running);
  });
  afterAll(async () => {
    await running?.api.close();
    await running?.sandbox.close();
  });
  if (resetEachTest) {
    beforeEach(async () => {
      await running?.sandbox.control('POST', '/reset');
      await running?.api.clearData();
    });
  }
}
