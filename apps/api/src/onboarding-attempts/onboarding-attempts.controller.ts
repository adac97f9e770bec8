import { Body, Controller, DefaultValuePipe, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { EndOnboardingAttemptRequest, StartOnboardingAttemptRequest, type OnboardingAttemptStartedView, type OnboardingAttemptView, type OnboardingFunnelView } from '@waba/contracts';
import { CurrentTenant, OperatorOnly, type TenantContext } from '../common/auth/auth.decorators';
import { ApiRoute } from '../openapi/api-route.decorator';
import { OnboardingAttemptsService } from './onboarding-attempts.service';

@ApiTags('whatsapp')
@Controller()
export class OnboardingAttemptsController {
  constructor(private readonly attempts: OnboardingAttemptsService) {}

  @ApiRoute({ summary: "Start recording an Embedded Signup attempt as Meta's popup opens", status: 201, returns: 'OnboardingAttemptStartedView', errors: [400, 401, 403, 503] })
  @Post('integrations/whatsapp/onboarding-attempts')
  async start(@CurrentTenant() tenant: TenantContext, @Body() body: StartOnboardingAttemptRequest): Promise<OnboardingAttemptStartedView> {
    return { id: await this.attempts.start(tenant, body.flow) };
  }

  @ApiRoute({ summary: "Meta's popup ended without a code: where the person left, or the error Meta showed", returns: 'OnboardingAttemptView', errors: [400, 401, 403, 404, 503] })
  @Post('integrations/whatsapp/onboarding-attempts/:attemptId/ended')
  @HttpCode(200)
  ended(@CurrentTenant() tenant: TenantContext, @Param('attemptId') attemptId: string, @Body() body: EndOnboardingAttemptRequest): Promise<OnboardingAttemptView> {
    return this.attempts.ended(tenant, attemptId, body);
  }

  @ApiRoute({ summary: 'Your recent attempts to connect WhatsApp, newest first: how far each got, and why it stopped', returns: ['OnboardingAttemptView'], errors: [400, 401, 503] })
  @ApiQuery({ name: 'limit', required: false, type: Number, description: '1 to 100 (default 20)' })
  @Get('integrations/whatsapp/onboarding-attempts')
  list(@CurrentTenant() tenant: TenantContext, @Query('limit', new DefaultValuePipe(20), ParseIntPipe) limit: number): Promise<OnboardingAttemptView[]> {
    return this.attempts.list(tenant, limit);
  }

  @OperatorOnly()
  @ApiRoute({
    summary: 'Operators: the onboarding funnel across every workspace (counts per step, outcome, flow, screen left and error)',
    returns: 'OnboardingFunnelView',
    errors: [400, 401, 403, 503],
  })
  @ApiQuery({ name: 'from', required: false, description: 'Start of the period (ISO date; default 30 days before `to`)' })
  @ApiQuery({ name: 'to', required: false, description: 'End of the period, exclusive (ISO date; default now)' })
  @Get('operator/onboarding-funnel')
  funnel(@Query('from') from?: string, @Query('to') to?: string): Promise<OnboardingFunnelView> {
    return this.attempts.funnel({ from, to });
  }
}
