export interface HealthView {
  status: 'ok' | 'degraded';
  database: { status: 'up' | 'down'; latencyMs?: number };
  uptimeSeconds: number;
}
