import { IsEmail, IsNotEmpty, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export enum UserRole {
  Owner = 'owner',
  Admin = 'admin',
}

/** A new user: the owner at sign-up, or an admin an owner adds. One password rule for both. */
export class NewUserFields {
  @IsString()
  @IsNotEmpty({ message: 'name must not be empty' })
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(100)
  name!: string;

  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email!: string;

  @IsString()
  @MinLength(10, { message: 'password must be at least 10 characters long' })
  @MaxLength(200)
  @Matches(/\S/, { message: 'password must not be blank' })
  password!: string;
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

/** An owner adds another admin to the tenant. */
export class InviteAdminRequest extends NewUserFields {}

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
