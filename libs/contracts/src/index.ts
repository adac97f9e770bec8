export * from './lib/accounts/accounts.dto';
export * from './lib/common/errors';
export * from './lib/common/health';
