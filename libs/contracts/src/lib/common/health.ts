import type { GraphVersionStatus } from '@waba/meta-graph/graph-versions';

/** Where the configured Graph API version stands: operators are warned 90 days before it ends. */
export type MetaApiVersionView = GraphVersionStatus;

export interface DependencyHealth {
  status: 'up' | 'down';
  latencyMs?: number;
}

export interface HealthView {
  /**
   * `ok`: everything answers. `degraded`: Redis is down; webhooks are still stored (and applied
   * once it is back), sign-in works, background jobs and live updates wait. `down`: the database
   * does not answer; this instance cannot serve (HTTP 503).
   */
  status: 'ok' | 'degraded' | 'down';
  database: DependencyHealth;
  redis: DependencyHealth;
  /** What this process does (INSTANCE_ROLE): http, worker or all. */
  role: 'http' | 'worker' | 'all';
  uptimeSeconds: number;
  /** Not part of `status`: a version that ends soon still works today. */
  metaApi: MetaApiVersionView;
}

/** One dependency of a probe (`database`, `redis`, `draining`) as @nestjs/terminus reports it. */
export interface ProbeCheck {
  status: 'up' | 'down';
  message?: string;
  [detail: string]: unknown;
}

/**
 * `/api/health/live` and `/api/health/ready` (terminus's result): `ok` with HTTP 200, else
 * `error` with HTTP 503 and the failing checks under `error`.
 */
export interface ProbeView {
  status: 'ok' | 'error' | 'shutting_down';
  info?: Record<string, ProbeCheck>;
  error?: Record<string, ProbeCheck>;
  details: Record<string, ProbeCheck>;
}
