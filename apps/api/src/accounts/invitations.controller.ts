import { Body, Controller, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { AcceptInvitationRequest, InvitationTokenRequest, type InvitationPreview, type SessionView } from '@waba/contracts';
import type { Response } from 'express';
import { Public } from '../common/auth/auth.decorators';
import { ApiConfig } from '../config/api-config';
import { PeopleService } from './people.service';
import { setSessionCookies } from './session-cookies';
import { ApiRoute } from '../openapi/api-route.decorator';

/** The invitee's side, before they have an account: the token comes in the body, never in a URL. */
@ApiTags('invitations')
@Controller('invitations')
export class InvitationsController {
  constructor(
    private readonly people: PeopleService,
    private readonly config: ApiConfig,
  ) {}

  @Public()
  @UseGuards(ThrottlerGuard)
  @ApiRoute({ summary: 'Look at an invitation before accepting it (token from the link)', returns: 'InvitationPreview', errors: [400, 403, 404, 410, 429, 503] })
  @Post('preview')
  @HttpCode(200)
  preview(@Body() body: InvitationTokenRequest): Promise<InvitationPreview> {
    return this.people.previewInvitation(body.token);
  }

  @Public()
  @UseGuards(ThrottlerGuard)
  @ApiRoute({
    summary: 'Accept an invitation: choose name and password, and sign in',
    description: 'Sets the session and CSRF cookies.',
    status: 201,
    returns: 'SessionView',
    errors: [400, 403, 404, 409, 410, 429, 503],
  })
  @Post('accept')
  async accept(@Body() body: AcceptInvitationRequest, @Res({ passthrough: true }) response: Response): Promise<SessionView> {
    const session = await this.people.acceptInvitation(body);
    setSessionCookies(response, session, this.config);
    return session.view;
  }
}
