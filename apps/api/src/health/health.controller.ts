import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { HealthView, ProbeView } from '@waba/contracts';
import type { Response } from 'express';
import { Public } from '../common/auth/auth.decorators';
import { HealthService, type ProbeAnswer } from './health.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** 200 while the database answers (Redis down is `degraded`, still 200), 503 otherwise: load balancers read the status. */
  @Public()
  @Get()
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthView> {
    const view = await this.health.check();
    if (view.status === 'down') response.status(503);
    return view;
  }

  /** Liveness for orchestrators: 200 while the process answers. Also on METRICS_PORT. */
  @Public()
  @Get('live')
  live(@Res({ passthrough: true }) response: Response): Promise<ProbeView> {
    return answer(response, this.health.liveness());
  }

  /** Readiness for load balancers: 503 while the database or Redis does not answer, or while draining. Also on METRICS_PORT. */
  @Public()
  @Get('ready')
  ready(@Res({ passthrough: true }) response: Response): Promise<ProbeView> {
    return answer(response, this.health.readiness());
  }
}

async function answer(response: Response, probe: Promise<ProbeAnswer>): Promise<ProbeView> {
  const { status, body } = await probe;
  response.status(status);
  return body;
}
