import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { SignupLinkConfirmRequest, SignupLinkFinishRequest, SignupLinkProgressRequest, SignupLinkTokenRequest, type SignupLinkPublicView } from '@waba/contracts';
import { Public } from '../common/auth/auth.decorators';
import { ApiRoute } from '../openapi/api-route.decorator';
import { SignupLinkLimitGuard } from './signup-link-limit.guard';
import { SignupLinksService } from './signup-links.service';

/** The link holder's side, without an account: the token comes in the body, never in a URL. */
@ApiTags('signup-links')
@Controller('signup-links/holder')
@Public()
@UseGuards(SignupLinkLimitGuard)
export class SignupLinkHolderController {
  constructor(private readonly links: SignupLinksService) {}

  @ApiRoute({ summary: 'Open a signup link: who invites, what will be shared, and what Embedded Signup needs', returns: 'SignupLinkPublicView', errors: [400, 403, 404, 410, 429, 503] })
  @Post('open')
  @HttpCode(200)
  open(@Body() body: SignupLinkTokenRequest): Promise<SignupLinkPublicView> {
    return this.links.open(body.token);
  }

  @ApiRoute({ summary: "Report what happened in Meta's window: started, cancelled at a step, or failed", returns: 'SignupLinkPublicView', errors: [400, 403, 404, 409, 410, 429, 503] })
  @Post('progress')
  @HttpCode(200)
  progress(@Body() body: SignupLinkProgressRequest): Promise<SignupLinkPublicView> {
    return this.links.reportProgress(body);
  }

  @ApiRoute({
    summary: 'Exchange the Embedded Signup code for the business that sent the link',
    description: 'Send the code at once: it lives 30 seconds. Uses the link up.',
    returns: 'SignupLinkPublicView',
    errors: [400, 403, 404, 409, 410, 429, 502, 503],
  })
  @Post('finish')
  @HttpCode(200)
  finish(@Body() body: SignupLinkFinishRequest): Promise<SignupLinkPublicView> {
    return this.links.finish(body);
  }

  @ApiRoute({ summary: 'Connect the numbers the holder picked, when the admin allowed it', returns: 'SignupLinkPublicView', errors: [400, 403, 404, 409, 410, 429, 503] })
  @Post('confirm')
  @HttpCode(200)
  confirm(@Body() body: SignupLinkConfirmRequest): Promise<SignupLinkPublicView> {
    return this.links.confirm(body);
  }
}
