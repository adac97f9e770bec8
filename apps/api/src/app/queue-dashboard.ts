import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplication } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { AuthService } from '../accounts/auth.service';
import { SESSION_COOKIE } from '../common/auth/session-cookie';
import { isOwnOrigin } from '../common/http/origins';
import type { ApiConfig } from '../config/api-config';
import { QUEUE_NAMES } from '../jobs/job-queues';

export const QUEUE_DASHBOARD_PATH = '/api/operator/queues';

/**
 * Bull Board at /api/operator/queues: every queue, its waiting, delayed and failed jobs (with their
 * errors), retry and clean. Operators only, checked on every request like any operator route; its
 * own buttons post without our CSRF header, so unsafe requests must come from our own origin.
 */
export function mountQueueDashboard(app: INestApplication, config: ApiConfig): void {
  const board = new ExpressAdapter().setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: QUEUE_NAMES.map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name)))),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'WABA Connect jobs' } },
  });
  app.use(QUEUE_DASHBOARD_PATH, operatorsOnly(app.get(AuthService), config), board.getRouter());
}

function operatorsOnly(auth: AuthService, config: ApiConfig) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const token = request.cookies?.[SESSION_COOKIE] as string | undefined;
    const refuse = (status: number, message: string) => void response.status(status).json({ statusCode: status, error: status === 401 ? 'Unauthorized' : 'Forbidden', message });
    if (!['GET', 'HEAD'].includes(request.method) && !sameOrigin(request, config.publicUrl)) return refuse(403, 'Queue changes must come from the dashboard itself');
    (token ? auth.resolveSession(token) : Promise.resolve(null)).then(
      (session) => {
        if (!session) return refuse(401, 'You are not signed in');
        if (!session.operator) return refuse(403, 'Only operators may see the job queues');
        next();
      },
      () => response.status(503).json({ statusCode: 503, error: 'Service Unavailable', message: 'The database is unavailable; try again shortly' }),
    );
  };
}

function sameOrigin(request: Request, publicUrl: string): boolean {
  const origin = request.get('origin') ?? originOf(request.get('referer'));
  return origin !== undefined && isOwnOrigin(origin, publicUrl);
}

function originOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).origin : undefined;
  } catch {
    return undefined;
  }
}
