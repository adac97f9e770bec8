import { Controller, Get, Res } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import type { HealthView, ProbeView } from '@waba/contracts';
import type { Response } from 'express';
import { Public } from '../common/auth/auth.decorators';
import { ApiRoute, contractRef } from '../openapi/api-route.decorator';
import { HealthService, type ProbeAnswer } from './health.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** 200 while the database answers (Redis down is `degraded`, still 200), 503 otherwise: load balancers read the status. */
  @ApiRoute({ summary: 'Health of the API, its database and Redis: ok, degraded (Redis down, still 200) or down (503)', returns: 'HealthView', errors: [] })
  @ApiResponse({ status: 503, description: 'The database does not answer', schema: contractRef('HealthView') })
  @Public()
  @Get()
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthView> {
    const view = await this.health.check();
    if (view.status === 'down') response.status(503);
    return view;
  }

  /** Liveness for orchestrators: 200 while the process answers. Also on METRICS_PORT. */
  @ApiRoute({ summary: 'Liveness for orchestrators: 200 while the process answers (asks no dependency)', returns: 'ProbeView', errors: [] })
  @Public()
  @Get('live')
  live(@Res({ passthrough: true }) response: Response): Promise<ProbeView> {
    return answer(response, this.health.liveness());
  }

  /** Readiness for load balancers: 503 while the database or Redis does not answer, or while draining. Also on METRICS_PORT. */
  @ApiRoute({ summary: 'Readiness for load balancers: 503 while the database or Redis does not answer, or while draining', returns: 'ProbeView', errors: [] })
  @ApiResponse({ status: 503, description: 'Not ready: `error` names the failing checks, or the instance is draining', schema: contractRef('ProbeView') })
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
