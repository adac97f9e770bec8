import { Controller, ForbiddenException, Get, Headers, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public, SkipCsrf } from '../common/auth/auth.decorators';
import { WebhookIngestService } from './webhook-ingest.service';

/** Meta's webhook endpoint for every tenant (the seed's path). Authenticated by signature, not session. */
@ApiExcludeController()
@Public()
@SkipCsrf()
@Controller('webhooks/whatsapp')
export class WebhooksController {
  constructor(private readonly ingest: WebhookIngestService) {}

  /** Verification handshake: no database, no signature; Meta allows an override 6 seconds. */
  @Get()
  verify(@Query('hub.mode') mode: unknown, @Query('hub.verify_token') token: unknown, @Query('hub.challenge') challenge: unknown, @Res() response: Response): void {
    const answer = this.ingest.verifyHandshake(mode, token, challenge);
    if (answer === null) throw new ForbiddenException('The verify token does not match');
    response.status(200).type('text/plain').send(answer);
  }

  @Post()
  @HttpCode(200)
  async receive(@Req() request: Request, @Headers('x-hub-signature-256') signature: string | undefined): Promise<void> {
    const body: unknown = request.body;
    await this.ingest.ingest(Buffer.isBuffer(body) ? body : Buffer.alloc(0), signature);
  }
}
