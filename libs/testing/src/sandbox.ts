export * from './lib/sandbox/sandbox-harness';
