import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ChangeRoleRequest, CreateInvitationRequest, UserRole, type CreatedInvitationView, type InvitationView, type UserView } from '@waba/contracts';
import { CurrentTenant, Roles, type TenantContext } from '../common/auth/auth.decorators';
import { PeopleService } from './people.service';

@ApiTags('accounts')
@Controller('accounts')
export class AccountsController {
  constructor(private readonly people: PeopleService) {}

  @Get('users')
  listUsers(@CurrentTenant() tenant: TenantContext): Promise<UserView[]> {
    return this.people.listUsers(tenant);
  }

  @Roles(UserRole.Owner)
  @Patch('users/:userId')
  changeRole(@CurrentTenant() tenant: TenantContext, @Param('userId') userId: string, @Body() body: ChangeRoleRequest): Promise<UserView> {
    return this.people.changeRole(tenant, userId, body.role);
  }

  @Roles(UserRole.Owner)
  @Delete('users/:userId')
  @HttpCode(204)
  removeUser(@CurrentTenant() tenant: TenantContext, @Param('userId') userId: string): Promise<void> {
    return this.people.removeUser(tenant, userId);
  }

  @Roles(UserRole.Owner)
  @Get('invitations')
  listInvitations(@CurrentTenant() tenant: TenantContext): Promise<InvitationView[]> {
    return this.people.listInvitations(tenant);
  }

  @Roles(UserRole.Owner)
  @Post('invitations')
  invite(@CurrentTenant() tenant: TenantContext, @Body() body: CreateInvitationRequest): Promise<CreatedInvitationView> {
    return this.people.invite(tenant, body);
  }

  @Roles(UserRole.Owner)
  @Delete('invitations/:invitationId')
  @HttpCode(204)
  revokeInvitation(@CurrentTenant() tenant: TenantContext, @Param('invitationId') invitationId: string): Promise<void> {
    return this.people.revokeInvitation(tenant, invitationId);
  }
}
