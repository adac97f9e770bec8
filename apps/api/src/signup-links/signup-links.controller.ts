import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CreateSignupLinkRequest, type CreatedSignupLinkView, type SignupLinkView } from '@waba/contracts';
import { CurrentTenant, type TenantContext } from '../common/auth/auth.decorators';
import { ApiRoute } from '../openapi/api-route.decorator';
import { SignupLinksService } from './signup-links.service';

/** The admin's side of signup links: create (shown once), list with live progress, revoke. */
@ApiTags('signup-links')
@Controller('signup-links')
export class SignupLinksController {
  constructor(private readonly links: SignupLinksService) {}

  @ApiRoute({
    summary: 'Create a single-use signup link for someone without an account to run Embedded Signup',
    description: 'The answer is the only time the link (with its token, in `link`) is shown; only its hash is stored.',
    status: 201,
    returns: 'CreatedSignupLinkView',
    errors: [400, 401, 403, 429, 503],
  })
  @Post()
  create(@CurrentTenant() tenant: TenantContext, @Body() body: CreateSignupLinkRequest): Promise<CreatedSignupLinkView> {
    return this.links.create(tenant, body);
  }

  @ApiRoute({ summary: 'This account’s signup links, newest first, with their progress', returns: ['SignupLinkView'], errors: [401, 503] })
  @Get()
  list(@CurrentTenant() tenant: TenantContext): Promise<SignupLinkView[]> {
    return this.links.list(tenant);
  }

  @ApiRoute({ summary: 'Revoke a signup link that was not used', returns: 'SignupLinkView', errors: [401, 403, 404, 409, 503] })
  @Post(':id/revoke')
  @HttpCode(200)
  revoke(@CurrentTenant() tenant: TenantContext, @Param('id') id: string): Promise<SignupLinkView> {
    return this.links.revoke(tenant, id);
  }
}
