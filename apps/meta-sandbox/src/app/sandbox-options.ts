// Settings the sandbox is started with; read from the environment only in main.ts.

export interface WebhookRetryPolicy {
  /** Delay before the second attempt; doubles after each failure. */
  baseDelayMs: number;
  /** Attempts in total, the first included. */
  maxAttempts: number;
  /** Per attempt. */
  timeoutMs: number;
}

export interface SandboxOptions {
  /** Origin the browser uses to reach the sandbox; when absent, taken from each request's Host. */
  publicUrl?: string;
  appId: string;
  appSecret: string;
  /** The Facebook Login for Business configuration id that `FB.login` / the dialog accept. */
  configId: string;
  /** The app's default webhook callback; when absent, nothing is sent without an explicit URL. */
  webhookUrl?: string;
  webhookVerifyToken: string;
  webhookRetry: WebhookRetryPolicy;
  /** Seed the readable demo world (default) or start empty. */
  seedDemoWorld: boolean;
  /** JSON file the world is loaded from at start and saved to after changes; in memory only when absent. */
  stateFile?: string;
}

export const SANDBOX_OPTIONS = Symbol('SANDBOX_OPTIONS');

export const DEFAULT_SANDBOX_OPTIONS: SandboxOptions = {
  appId: '100000000000001',
  appSecret: 'sandbox-app-secret',
  configId: 'sandbox-config-1',
  webhookVerifyToken: 'sandbox-verify-token',
  // Meta retries for 7 days; a local stand-in retries for about a minute.
  webhookRetry: { baseDelayMs: 1_000, maxAttempts: 6, timeoutMs: 10_000 },
  seedDemoWorld: true,
};
