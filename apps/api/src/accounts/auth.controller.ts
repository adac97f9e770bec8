import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { ChangePasswordRequest, LoginRequest, SignUpRequest, type SessionView } from '@waba/contracts';
import type { Request, Response } from 'express';
import { ApiConfig } from '../config/api-config';
import { CurrentTenant, Public, type TenantContext } from '../common/auth/auth.decorators';
import { AuthService } from './auth.service';
import { SESSION_COOKIE } from '../common/auth/session-cookie';
import { clearSessionCookies, setSessionCookies } from './session-cookies';
import { ApiRoute } from '../openapi/api-route.decorator';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly config: ApiConfig,
  ) {}

  @Public()
  @UseGuards(ThrottlerGuard)
  @ApiRoute({
    summary: 'Create an account (tenant) and its owner, and sign in',
    description: 'Sets the session and CSRF cookies.',
    status: 201,
    returns: 'SessionView',
    errors: [400, 403, 409, 429, 503],
  })
  @Post('signup')
  async signUp(@Body() body: SignUpRequest, @Res({ passthrough: true }) response: Response): Promise<SessionView> {
    const session = await this.auth.signUp(body);
    setSessionCookies(response, session, this.config);
    return session.view;
  }

  @Public()
  @UseGuards(ThrottlerGuard)
  @ApiRoute({
    summary: 'Sign in with email and password',
    description: 'Sets the session and CSRF cookies. Limited per address and per account.',
    returns: 'SessionView',
    errors: [400, 401, 403, 429, 503],
  })
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: LoginRequest, @Res({ passthrough: true }) response: Response): Promise<SessionView> {
    const session = await this.auth.login(body);
    setSessionCookies(response, session, this.config);
    return session.view;
  }

  @ApiRoute({ summary: 'Sign out: ends this session and its sockets on every instance', status: 204, returns: null, errors: [401, 403, 503] })
  @Post('logout')
  @HttpCode(204)
  async logout(@CurrentTenant() tenant: TenantContext, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.auth.logout(tenant, request.cookies?.[SESSION_COOKIE] as string | undefined);
    clearSessionCookies(response, this.config);
  }

  /** Rate limited like login: it checks a password. */
  @UseGuards(ThrottlerGuard)
  @ApiRoute({ summary: 'Change your password; your other sessions end', status: 204, returns: null, errors: [400, 401, 403, 429, 503] })
  @Post('password')
  @HttpCode(204)
  changePassword(@CurrentTenant() tenant: TenantContext, @Body() body: ChangePasswordRequest): Promise<void> {
    return this.auth.changePassword(tenant, body);
  }

  @ApiRoute({ summary: 'Who is signed in, and in which account', returns: 'SessionView', errors: [401, 503] })
  @Get('me')
  me(@CurrentTenant() tenant: TenantContext): Promise<SessionView> {
    return this.auth.currentSession(tenant);
  }
}
