// @waba/meta-graph: the only place that knows Meta's Graph URLs, field names and error codes.
// Result types use Meta's own snake_case field names (they are the wire format, returned as is);
// configuration, options, errors and what our records keep (`PhoneNumberFacts`) use our camelCase.
export * from './lib/meta-graph.client';
export * from './lib/graph-errors';
export * from './lib/graph-types';
export * from './lib/field-expansion';
export * from './lib/signatures';
export * from './lib/embedded-signup';
export * from './lib/graph-versions';
export * from './lib/webhook-payloads';
export * from './lib/health-status';
export * from './lib/business-profile';
export * from './lib/message-templates';
export * from './lib/phone-numbers';
