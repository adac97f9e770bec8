import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ChangeRoleRequest, CreateInvitationRequest, UserRole, type CreatedInvitationView, type InvitationView, type UserView } from '@waba/contracts';
import { CurrentTenant, Roles, type TenantContext } from '../common/auth/auth.decorators';
import { PeopleService } from './people.service';
import { ApiRoute } from '../openapi/api-route.decorator';

@ApiTags('accounts')
@Controller('accounts')
export class AccountsController {
  constructor(private readonly people: PeopleService) {}

  @ApiRoute({ summary: 'List the people of your account', returns: ['UserView'], errors: [401, 503] })
  @Get('users')
  listUsers(@CurrentTenant() tenant: TenantContext): Promise<UserView[]> {
    return this.people.listUsers(tenant);
  }

  @Roles(UserRole.Owner)
  @ApiRoute({ summary: "Change a person's role (owners only; the last owner stays)", returns: 'UserView', errors: [400, 401, 403, 404, 409, 503] })
  @Patch('users/:userId')
  changeRole(@CurrentTenant() tenant: TenantContext, @Param('userId') userId: string, @Body() body: ChangeRoleRequest): Promise<UserView> {
    return this.people.changeRole(tenant, userId, body.role);
  }

  @Roles(UserRole.Owner)
  @ApiRoute({ summary: 'Remove a person from your account; their sessions end (owners only)', status: 204, returns: null, errors: [401, 403, 404, 409, 503] })
  @Delete('users/:userId')
  @HttpCode(204)
  removeUser(@CurrentTenant() tenant: TenantContext, @Param('userId') userId: string): Promise<void> {
    return this.people.removeUser(tenant, userId);
  }

  @Roles(UserRole.Owner)
  @ApiRoute({ summary: 'List pending invitations (owners only)', returns: ['InvitationView'], errors: [401, 403, 503] })
  @Get('invitations')
  listInvitations(@CurrentTenant() tenant: TenantContext): Promise<InvitationView[]> {
    return this.people.listInvitations(tenant);
  }

  @Roles(UserRole.Owner)
  @ApiRoute({ summary: 'Invite someone by email; the answer holds the link, shown this once (owners only)', status: 201, returns: 'CreatedInvitationView', errors: [400, 401, 403, 404, 409, 503] })
  @Post('invitations')
  invite(@CurrentTenant() tenant: TenantContext, @Body() body: CreateInvitationRequest): Promise<CreatedInvitationView> {
    return this.people.invite(tenant, body);
  }

  @Roles(UserRole.Owner)
  @ApiRoute({ summary: 'Withdraw a pending invitation (owners only)', status: 204, returns: null, errors: [401, 403, 404, 409, 503] })
  @Delete('invitations/:invitationId')
  @HttpCode(204)
  revokeInvitation(@CurrentTenant() tenant: TenantContext, @Param('invitationId') invitationId: string): Promise<void> {
    return this.people.revokeInvitation(tenant, invitationId);
  }
}
