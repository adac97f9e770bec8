// Test-only helpers shared by the specs of several projects (tagged type:testing: production code
// never imports them). The sandbox harness, which boots the Meta sandbox app, is its own entry
// point (`@waba/testing/sandbox`) so helpers that need no app stay light to load.
export * from './lib/meta-app';
export * from './lib/database/test-database';
export * from './lib/database/webhook-fixtures';
export * from './lib/http/api-process';
export * from './lib/http/secret-scan';
export * from './lib/http/test-browser';
export * from './lib/webhooks/webhook-payloads';
export * from './lib/webhooks/webhook-receiver';
