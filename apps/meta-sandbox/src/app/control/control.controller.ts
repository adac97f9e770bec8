import { Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Patch, Post, Query, Req, Res, UsePipes, ValidationPipe } from '@nestjs/common';
import { Request, Response } from 'express';
import { SandboxClock } from '../common/sandbox-clock';
import { GraphFaultsService } from '../graph/graph-faults.service';
import { AccessTokensService } from '../oauth/access-tokens.service';
import { SANDBOX_OPTIONS, SandboxOptions } from '../sandbox-options';
import { CallbackVerifierService } from '../webhooks/callback-verifier.service';
import { WebhookEventsService } from '../webhooks/webhook-events.service';
import { WebhookSenderService } from '../webhooks/webhook-sender.service';
import { WorldStore } from '../world/world.store';
import {
  AdvanceClockDto,
  CreateBusinessDto,
  CreateFaultDto,
  CreatePhoneNumberDto,
  CreateTokenDto,
  CreateTokensDto,
  CreateWabaDto,
  PhoneNumberChangesDto,
  RevokeTokenDto,
  SendWebhooksDto,
  TokenActionDto,
  TokenGrantDto,
  UpdateSettingsDto,
  VerifyCallbackDto,
} from './control.dto';
import { callbackPage, indexPage, popupDemoPage } from './control-pages';
import { TokenSummariesService } from './token-summaries.service';
import { WorldAdminService } from './world-admin.service';

/** The control API for tests and demos; JSON in and out, under `/_sandbox`. */
@Controller('_sandbox')
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
export class ControlController {
  constructor(
    @Inject(SANDBOX_OPTIONS) private readonly options: SandboxOptions,
    private readonly world: WorldStore,
    private readonly admin: WorldAdminService,
    private readonly tokens: AccessTokensService,
    private readonly faults: GraphFaultsService,
    private readonly clock: SandboxClock,
    private readonly webhooks: WebhookEventsService,
    private readonly sender: WebhookSenderService,
    private readonly callbacks: CallbackVerifierService,
    private readonly summaries: TokenSummariesService,
  ) {}

  @Get()
  index(@Req() request: Request, @Res() response: Response): void {
    const baseUrl = this.options.publicUrl ?? `${request.protocol}://${request.get('host')}`;
    const view = { baseUrl, tokens: this.summaries.list(), clock: { ...this.readClock(), offsetMs: this.clock.offset } };
    response.type('html').send(indexPage(this.world, { ...this.options, ...view }));
  }

  @Get('callback')
  callback(@Query() query: Record<string, unknown>, @Res() response: Response): void {
    response.type('html').send(callbackPage(query));
  }

  @Get('popup-demo')
  popupDemo(@Res() response: Response): void {
    response.type('html').send(popupDemoPage(this.options));
  }

  @Get('world')
  snapshot() {
    return this.admin.snapshot();
  }

  @Post('reset')
  @HttpCode(200)
  reset() {
    this.world.reset();
    this.faults.clear();
    return this.admin.snapshot();
  }

  @Post('businesses')
  createBusiness(@Body() body: CreateBusinessDto) {
    return this.admin.createBusiness(body);
  }

  @Post('wabas')
  createWaba(@Body() body: CreateWabaDto) {
    return this.admin.createWaba(body);
  }

  @Post('phone-numbers')
  createPhoneNumber(@Body() body: CreatePhoneNumberDto) {
    return this.admin.createPhoneNumber(body);
  }

  @Patch('phone-numbers/:id')
  updatePhoneNumber(@Param('id') id: string, @Body() body: PhoneNumberChangesDto) {
    return this.admin.updatePhoneNumber(id, body);
  }

  @Post('tokens')
  createToken(@Body() body: CreateTokenDto) {
    if (!this.world.businesses.has(body.businessId)) throw new NotFoundException(`No business ${body.businessId}`);
    const token = this.tokens.mint({
      businessId: body.businessId,
      wabaIds: body.wabaIds,
      scopes: body.scopes ?? ['business_management', 'whatsapp_business_management', 'whatsapp_business_messaging'],
      expiresInSeconds: body.expiresInSeconds ?? null,
      type: body.type ?? 'SYSTEM_USER',
      appId: body.appId,
    });
    return { access_token: token.value, ...this.tokens.describe(token.value) };
  }

  /** `count` tokens in one call; answers only their values (debug data would be 10 000 objects). */
  @Post('tokens/bulk')
  createTokens(@Body() body: CreateTokensDto) {
    if (!this.world.businesses.has(body.businessId)) throw new NotFoundException(`No business ${body.businessId}`);
    const tokens = Array.from(
      { length: body.count },
      () =>
        this.tokens.mint({
          businessId: body.businessId,
          wabaIds: body.wabaIds,
          scopes: body.scopes ?? ['business_management', 'whatsapp_business_management', 'whatsapp_business_messaging'],
          expiresInSeconds: body.expiresInSeconds ?? null,
          type: body.type ?? 'SYSTEM_USER',
        }).value,
    );
    return { tokens };
  }

  @Post('tokens/grant')
  @HttpCode(200)
  setTokenGrant(@Body() body: TokenGrantDto) {
    return this.tokens.describe(this.tokens.setGrantedWabas(body.token, body.wabaIds).value);
  }

  /** `debug_token` calls per token since the last reset: `{ calls: { [token]: n }, total }`. */
  @Get('tokens/debug-calls')
  debugTokenCalls() {
    const calls = Object.fromEntries(this.world.debugTokenCalls);
    return { calls, total: Object.values(calls).reduce((sum, n) => sum + n, 0) };
  }

  @Post('tokens/expire')
  @HttpCode(200)
  expireToken(@Body() body: TokenActionDto) {
    return this.tokens.describe(this.tokens.expire(body.token).value);
  }

  @Post('tokens/revoke')
  @HttpCode(200)
  revokeToken(@Body() body: TokenActionDto) {
    return this.tokens.describe(this.tokens.revoke(body.token, body.subcode ?? 458).value);
  }

  /** Tokens by fingerprint and last 4 characters, newest first (at most 200): what the console lists. */
  @Get('tokens')
  listTokens() {
    return this.summaries.list();
  }

  @Post('tokens/:fingerprint/revoke')
  @HttpCode(200)
  revokeTokenByFingerprint(@Param('fingerprint') fingerprint: string, @Body() body: RevokeTokenDto) {
    return this.summaries.revoke(fingerprint, body.subcode ?? 458);
  }

  @Post('tokens/:fingerprint/expire')
  @HttpCode(200)
  expireTokenByFingerprint(@Param('fingerprint') fingerprint: string) {
    return this.summaries.expire(fingerprint);
  }

  @Get('faults')
  listFaults() {
    return this.faults.list();
  }

  @Post('faults')
  addFault(@Body() body: CreateFaultDto) {
    const error = body.error && {
      ...body.error,
      httpStatus: body.error.httpStatus ?? (body.error.code === 1 || body.error.code === 2 ? 500 : 400),
    };
    return this.faults.add({ endpoint: body.endpoint, remaining: body.count ?? 1, latencyMs: body.latencyMs, error });
  }

  @Delete('faults')
  clearFaults() {
    this.faults.clear();
    return { success: true };
  }

  @Get('clock')
  readClock() {
    return { now: new Date(this.clock.nowMs()).toISOString(), unix: this.clock.nowSeconds() };
  }

  @Post('clock/advance')
  @HttpCode(200)
  advanceClock(@Body() body: AdvanceClockDto) {
    this.clock.advance(body.seconds * 1000);
    return this.readClock();
  }

  @Get('settings')
  readSettings() {
    return this.world.settings;
  }

  @Patch('settings')
  updateSettings(@Body() body: UpdateSettingsDto) {
    const changes = Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
    Object.assign(this.world.settings, changes);
    return this.world.settings;
  }

  @Post('webhooks')
  @HttpCode(202)
  sendWebhooks(@Body() body: SendWebhooksDto) {
    return this.webhooks.send(body.events, { batch: body.batch, callbackUrl: body.callbackUrl });
  }

  /** Runs Meta's GET handshake against a callback, as setting it in the App Dashboard does. */
  @Post('webhooks/verify')
  @HttpCode(200)
  async verifyCallback(@Body() body: VerifyCallbackDto) {
    const url = body.callbackUrl ?? this.world.settings.webhookUrl;
    if (!url) throw new NotFoundException('No callback URL configured');
    try {
      await this.callbacks.verify(url, body.verifyToken ?? this.options.webhookVerifyToken);
      return { verified: true, url };
    } catch (error) {
      return { verified: false, url, error: error instanceof Error ? error.message : String(error) };
    }
  }

  @Get('webhooks/deliveries')
  deliveries() {
    return this.sender.list();
  }

  @Get('webhooks/deliveries/:id')
  delivery(@Param('id') id: string) {
    const delivery = this.sender.find(id);
    if (!delivery) throw new NotFoundException(`No delivery ${id}`);
    return delivery;
  }
}
