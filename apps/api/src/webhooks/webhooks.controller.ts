import { Controller, ForbiddenException, Get, Headers, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponse } from '../openapi/api-route.decorator';
import type { Request, Response } from 'express';
import { Public, SkipCsrf } from '../common/auth/auth.decorators';
import { WebhookIngestService } from './webhook-ingest.service';

/** Meta's webhook endpoint for every tenant (the seed's path). Authenticated by signature, not session. */
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

  @ApiOperation({
    summary: "Meta's webhook deliveries for every tenant: stored, then acknowledged; applied by workers",
    description: 'Signed by Meta (HMAC-SHA256 of the raw body with the app secret). A duplicate is acknowledged too. Without a 200, Meta retries.',
  })
  @ApiHeader({ name: 'X-Hub-Signature-256', required: true, description: 'sha256=<hex HMAC of the raw body>' })
  @ApiBody({ description: "Meta's webhook payload (object: whatsapp_business_account, entry[].changes[]), up to 3 MB", schema: { type: 'object' } })
  @ApiResponse({ status: 200, description: 'Stored (or already stored); no body' })
  @ApiErrorResponse(401, 'The signature is missing or does not match the body')
  @ApiErrorResponse(413)
  @ApiErrorResponse(503)
  @Post()
  @HttpCode(200)
  async receive(@Req() request: Request, @Headers('x-hub-signature-256') signature: string | undefined): Promise<void> {
    const body: unknown = request.body;
    await this.ingest.ingest(Buffer.isBuffer(body) ? body : Buffer.alloc(0), signature);
  }
}
