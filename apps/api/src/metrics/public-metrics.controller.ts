import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { Response } from 'express';
import { Public } from '../common/auth/auth.decorators';
import { MetricsService } from './metrics.service';

/** `/metrics` on the public port: mounted only with METRICS_ON_PUBLIC_PORT=true (metrics.module.ts). */
@ApiExcludeController()
@Public()
@Controller()
export class PublicMetricsController extends PrometheusController {
  constructor(private readonly metrics: MetricsService) {
    super();
  }

  @Get()
  override async index(@Res({ passthrough: true }) response: Response): Promise<string> {
    response.header('Content-Type', this.metrics.contentType);
    return this.metrics.scrape();
  }
}
