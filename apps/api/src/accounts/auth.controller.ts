import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { LoginRequest, SignUpRequest, type SessionView } from '@waba/contracts';
import type { Request, Response } from 'express';
import { ApiConfig } from '../config/api-config';
import { CurrentTenant, Public, type TenantContext } from '../common/auth/auth.decorators';
import { AuthService } from './auth.service';
import { clearSessionCookies, SESSION_COOKIE, setSessionCookies } from './session-cookies';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly config: ApiConfig,
  ) {}

  @Public()
  @UseGuards(ThrottlerGuard)
  @Post('signup')
  async signUp(@Body() body: SignUpRequest, @Res({ passthrough: true }) response: Response): Promise<SessionView> {
    const session = await this.auth.signUp(body);
    setSessionCookies(response, session, this.config);
    return session.view;
  }

  @Public()
  @UseGuards(ThrottlerGuard)
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: LoginRequest, @Res({ passthrough: true }) response: Response): Promise<SessionView> {
    const session = await this.auth.login(body);
    setSessionCookies(response, session, this.config);
    return session.view;
  }

  @Post('logout')
  @HttpCode(204)
  async logout(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.auth.logout(request.cookies?.[SESSION_COOKIE] as string | undefined);
    clearSessionCookies(response, this.config);
  }

  @Get('me')
  me(@CurrentTenant() tenant: TenantContext): Promise<SessionView> {
    return this.auth.currentSession(tenant);
  }
}
