import { type ApiProcess, startApiProcess as startBuiltApi } from '@waba/testing';
import { runSecretScan } from './run-secret-scan';

export { API_MAIN, type ApiProcess } from '@waba/testing';

/** The built API as its own process (libs/testing's startApiProcess), its log watched by the run's secret scan. */
export function startApiProcess(role: 'http' | 'worker', settings: Record<string, string>, host?: string): Promise<ApiProcess> {
  return startBuiltApi(role, settings, host, (child, url) => runSecretScan.watchProcess(child, url));
}
