import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, UsePipes, ValidationPipe } from '@nestjs/common';
import type { HealthStatus } from '@waba/meta-graph';
import { phoneNumberHealth, wabaHealth } from '../graph/health-status';
import type { HealthOverride } from '../world/health-override';
import { WorldStore } from '../world/world.store';
import { APP_WEBHOOK_FIELDS } from '../graph/app-subscriptions.controller';
import { SetAppWebhookFieldsDto, SetHealthDto } from './health-control.dto';

/** Meta's defaults when a test blocks a node without saying why: the payment-method error of Meta's own example. */
const DEFAULT_BLOCK = {
  errorCode: 141006,
  errorDescription: 'There is an error with the payment method.',
  possibleSolution: 'There was an error with your payment method. Please add a new payment method to the account.',
};
const DEFAULT_LIMIT = 'Messaging is limited for this account.';

/**
 * `/_sandbox/health/:nodeId`: block or limit a number, a WABA or a business with a given error,
 * as Meta would for reasons the sandbox does not model; `health_status` reads show it at once.
 */
@Controller('_sandbox/health')
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
export class HealthControlController {
  constructor(private readonly world: WorldStore) {}

  @Get(':nodeId')
  read(@Param('nodeId') nodeId: string): { nodeId: string; health_status: HealthStatus } {
    return { nodeId, health_status: this.healthOf(nodeId) };
  }

  @Post(':nodeId')
  @HttpCode(200)
  set(@Param('nodeId') nodeId: string, @Body() body: SetHealthDto): { nodeId: string; health_status: HealthStatus } {
    const record = this.world.phoneNumbers.get(nodeId) ?? this.world.wabas.get(nodeId) ?? this.world.businesses.get(nodeId);
    if (!record) throw new NotFoundException(`No phone number, WABA or business ${nodeId}`);
    record.health = body.canSendMessage === 'AVAILABLE' ? undefined : override(body);
    return { nodeId, health_status: this.healthOf(nodeId) };
  }

  private healthOf(nodeId: string): HealthStatus {
    const phone = this.world.phoneNumbers.get(nodeId);
    if (phone) return phoneNumberHealth(phone, this.world);
    const waba = this.world.wabas.get(nodeId);
    if (waba) return wabaHealth(waba, this.world);
    const business = this.world.businesses.get(nodeId);
    const wabas = business ? this.world.wabasOwnedBy(business.id) : [];
    if (!business || wabas.length === 0) throw new NotFoundException(`No phone number or WABA ${nodeId} (a business shows its health through its WABAs)`);
    return wabaHealth(wabas[0], this.world);
  }
}

function override(body: SetHealthDto): HealthOverride {
  const blocked = body.canSendMessage === 'BLOCKED';
  return {
    canSendMessage: blocked ? 'BLOCKED' : 'LIMITED',
    errorCode: body.errorCode ?? (blocked ? DEFAULT_BLOCK.errorCode : 0),
    errorDescription: body.errorDescription ?? (blocked ? DEFAULT_BLOCK.errorDescription : DEFAULT_LIMIT),
    possibleSolution: body.possibleSolution ?? (blocked ? DEFAULT_BLOCK.possibleSolution : ''),
    additionalInfo: body.additionalInfo ?? [],
  };
}

/** `/_sandbox/app-subscription`: which webhook fields the app subscribes to (as edited in Meta's App Dashboard). */
@Controller('_sandbox/app-subscription')
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
export class AppSubscriptionControlController {
  constructor(private readonly world: WorldStore) {}

  @Post()
  @HttpCode(200)
  set(@Body() body: SetAppWebhookFieldsDto): { fields: string[] } {
    this.world.settings.appWebhookFields = body.fields;
    return { fields: body.fields };
  }

  @Get()
  read(): { fields: string[] } {
    return { fields: this.world.settings.appWebhookFields ?? APP_WEBHOOK_FIELDS };
  }
}
