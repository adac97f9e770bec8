// The Meta app every test plays: the sandbox registers it, the API under test is configured with
// it, and webhook deliveries are signed with its secret.
export const APP_ID = '100000000000001';
export const APP_SECRET = 'test-app-secret';
export const CONFIG_ID = 'sandbox-config-1';
export const VERSION = 'v25.0';
