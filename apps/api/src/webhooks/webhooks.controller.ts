import { Controller, ForbiddenException, Get, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponse } from '../openapi/api-route.decorator';
import type { Response } from 'express';
import { Public, SkipCsrf } from '../common/auth/auth.decorators';
import { WebhookIngestService } from './webhook-ingest.service';

/**
 * Meta's webhook endpoint for every tenant (a path the first version's contract fixed): the verification handshake. Deliveries
 * (POST) are taken by webhook-receiver.ts, ahead of Nest's pipeline.
 */
@ApiTags('webhooks')
@Public()
@SkipCsrf()
@Controller('webhooks/whatsapp')
export class WebhooksController {
  constructor(private readonly ingest: WebhookIngestService) {}

  /** Verification handshake: no database, no signature; Meta allows an override 6 seconds. */
  @ApiOperation({ summary: "Meta's webhook verification handshake: echoes hub.challenge when hub.verify_token matches" })
  @ApiQuery({ name: 'hub.mode', required: true, schema: { type: 'string', enum: ['subscribe'] } })
  @ApiQuery({ name: 'hub.verify_token', required: true, description: 'META_WEBHOOK_VERIFY_TOKEN' })
  @ApiQuery({ name: 'hub.challenge', required: true })
  @ApiResponse({ status: 200, description: 'The challenge, as sent', content: { 'text/plain': { schema: { type: 'string' } } } })
  @ApiErrorResponse(403, 'The verify token does not match')
  @Get()
  verify(@Query('hub.mode') mode: unknown, @Query('hub.verify_token') token: unknown, @Query('hub.challenge') challenge: unknown, @Res() response: Response): void {
    const answer = this.ingest.verifyHandshake(mode, token, challenge);
    if (answer === null) throw new ForbiddenException('The verify token does not match');
    response.status(200).type('text/plain').send(answer);
  }
}
