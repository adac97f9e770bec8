import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InviteAdminRequest, UserRole, type UserView } from '@waba/contracts';
import { CurrentTenant, Roles, type TenantContext } from '../common/auth/auth.decorators';
import { AuthService } from './auth.service';

@ApiTags('accounts')
@Controller('accounts')
export class AccountsController {
  constructor(private readonly auth: AuthService) {}

  @Get('users')
  listUsers(@CurrentTenant() tenant: TenantContext): Promise<UserView[]> {
    return this.auth.listUsers(tenant);
  }

  @Roles(UserRole.Owner)
  @Post('users')
  addAdmin(@CurrentTenant() tenant: TenantContext, @Body() body: InviteAdminRequest): Promise<UserView> {
    return this.auth.addAdmin(tenant, body);
  }
}
