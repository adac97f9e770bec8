/**
 * Every metric the API exports (names, labels, buckets): the list docs/metrics.md describes.
 * Registered through @willsoto/nestjs-prometheus in prom-client's default registry.
 */
import { makeCounterProvider, makeGaugeProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';

export const METRIC = {
  webhookDeliveries: 'waba_webhook_deliveries_total',
  webhookIngestSeconds: 'waba_webhook_ingest_duration_seconds',
  webhookApplyDelaySeconds: 'waba_webhook_apply_delay_seconds',
  graphRequests: 'waba_graph_requests_total',
  graphRequestSeconds: 'waba_graph_request_duration_seconds',
  credentials: 'waba_credentials',
  credentialsByExpiry: 'waba_credentials_by_expiry',
  onboardingAttempts: 'waba_onboarding_attempts_total',
  queueJobs: 'waba_queue_jobs',
  queueJobFailures: 'waba_queue_job_failures_total',
  queueJobSeconds: 'waba_queue_job_duration_seconds',
  socketConnections: 'waba_socket_connections',
} as const;

export const METRIC_PROVIDERS = [
  makeCounterProvider({
    name: METRIC.webhookDeliveries,
    help: 'Webhook deliveries by outcome: received (signature good, stored), invalid_signature, duplicate, rejected, unroutable, applied',
    labelNames: ['outcome'],
  }),
  makeHistogramProvider({
    name: METRIC.webhookIngestSeconds,
    help: 'Time from a signed webhook request to its delivery being stored (the wait before our 200)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  }),
  makeHistogramProvider({
    name: METRIC.webhookApplyDelaySeconds,
    help: 'Time from receiving a webhook delivery to having applied it (queue wait included)',
    labelNames: ['outcome'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  }),
  makeCounterProvider({
    name: METRIC.graphRequests,
    help: 'Graph API requests (each attempt) by endpoint template, outcome (ok or the error class) and Meta error code',
    labelNames: ['endpoint', 'outcome', 'code'],
  }),
  makeHistogramProvider({
    name: METRIC.graphRequestSeconds,
    help: 'Graph API request latency by endpoint template and outcome',
    labelNames: ['endpoint', 'outcome'],
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  }),
  makeGaugeProvider({ name: METRIC.credentials, help: 'Stored Meta credentials by health state (read from the database at scrape)', labelNames: ['status'] }),
  makeGaugeProvider({
    name: METRIC.credentialsByExpiry,
    help: 'Active Meta credentials by time to expiry: expired, 1d, 7d, 30d, 60d (expire within), later, never (read at scrape)',
    labelNames: ['expires_in'],
  }),
  makeCounterProvider({
    name: METRIC.onboardingAttempts,
    help: 'Onboarding attempts by flow (embedded_signup, oauth, import, manual_add), step reached (consent, confirm, connect) and outcome',
    labelNames: ['flow', 'step', 'outcome'],
  }),
  makeGaugeProvider({ name: METRIC.queueJobs, help: 'BullMQ jobs per queue and state (waiting, active, delayed, failed), read at scrape', labelNames: ['queue', 'state'] }),
  makeCounterProvider({ name: METRIC.queueJobFailures, help: 'BullMQ job attempts that failed, per queue (a retried job counts each failure)', labelNames: ['queue'] }),
  makeHistogramProvider({
    name: METRIC.queueJobSeconds,
    help: 'BullMQ job run time (processing start to finish) per queue and outcome',
    labelNames: ['queue', 'outcome'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  }),
  makeGaugeProvider({ name: METRIC.socketConnections, help: 'Signed-in Socket.IO connections held by this instance' }),
];
