export * from './lib/accounts/accounts.dto';
export * from './lib/common/errors';
export * from './lib/common/error-catalogue';
export * from './lib/common/health';
export * from './lib/whatsapp/whatsapp.dto';
export * from './lib/whatsapp/realtime-events';
export * from './lib/whatsapp/events.dto';
export * from './lib/whatsapp/status';
