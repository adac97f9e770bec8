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
}
