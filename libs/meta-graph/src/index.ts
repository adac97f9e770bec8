export * from './lib/meta-graph';
