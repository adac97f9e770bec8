import { IsEmail, IsEnum, IsNotEmpty, IsString, Matches, MaxLength, MinLength } from 'class-validator';

import { PASSWORD_RULE, UserRole } from './account-rules';

export { UserRole };

/** How long an invitation link works. */
export const INVITATION_TTL_DAYS = 7;

/** Name and password a new user chooses: the owner at sign-up, an invitee when accepting. One password rule for both. */
export class ChosenUserFields {
  @IsString()
  @IsNotEmpty({ message: 'name must not be empty' })
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(100)
  name!: string;

  @IsString()
  @MinLength(PASSWORD_RULE.minLength, { message: `password must be at least ${PASSWORD_RULE.minLength} characters long` })
  @MaxLength(PASSWORD_RULE.maxLength)
  @Matches(/\S/, { message: 'password must not be blank' })
  password!: string;
}

export class NewUserFields extends ChosenUserFields {
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email!: string;
}

/** Creates a tenant ("account") and its owner in one step. */
export class SignUpRequest extends NewUserFields {
  @IsString()
  @IsNotEmpty({ message: 'accountName must not be empty' })
  @Matches(/\S/, { message: 'accountName must not be blank' })
  @MaxLength(100)
  accountName!: string;
}

export class LoginRequest {
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email!: string;

  @IsString()
  @IsNotEmpty({ message: 'password must not be empty' })
  @MaxLength(200)
  password!: string;
}

/** An owner invites someone by email; they choose their own name and password when accepting. */
export class CreateInvitationRequest {
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email!: string;

  @IsEnum(UserRole, { message: 'role must be owner or admin' })
  role!: UserRole;
}

/** The token from the invitation link (the part after `#`), to look at or to accept it. */
export class InvitationTokenRequest {
  @IsString()
  @IsNotEmpty({ message: 'token must not be empty' })
  @MaxLength(200)
  token!: string;
}

export class AcceptInvitationRequest extends ChosenUserFields {
  @IsString()
  @IsNotEmpty({ message: 'token must not be empty' })
  @MaxLength(200)
  token!: string;
}

export class ChangeRoleRequest {
  @IsEnum(UserRole, { message: 'role must be owner or admin' })
  role!: UserRole;
}

/** The signed-in user's own password; every other session of theirs ends. */
export class ChangePasswordRequest {
  @IsString()
  @IsNotEmpty({ message: 'currentPassword must not be empty' })
  @MaxLength(200)
  currentPassword!: string;

  @IsString()
  @MinLength(PASSWORD_RULE.minLength, { message: `newPassword must be at least ${PASSWORD_RULE.minLength} characters long` })
  @MaxLength(PASSWORD_RULE.maxLength)
  @Matches(/\S/, { message: 'newPassword must not be blank' })
  newPassword!: string;
}

/** A pending invitation, as owners see it. */
export interface InvitationView {
  id: string;
  email: string;
  role: UserRole;
  invitedByName: string;
  createdAt: string;
  expiresAt: string;
}

/** Answer to creating an invitation: the only time the link is shown. */
export interface CreatedInvitationView extends InvitationView {
  link: string;
  /** True when the link was also emailed (SMTP_URL is set and the server took the message). */
  emailed: boolean;
}

/** What the invitee sees before accepting. */
export interface InvitationPreview {
  accountName: string;
  email: string;
  role: UserRole;
  invitedByName: string;
  expiresAt: string;
}

export interface UserView {
  id: string;
  name: string;
  email: string;
  role: UserRole;
  createdAt: string;
}

export interface AccountView {
  id: string;
  name: string;
  createdAt: string;
}

/** What sign-up, login and `GET /api/auth/me` return. */
export interface SessionView {
  user: UserView;
  account: AccountView;
}
