// What a tenant manages for one number beside sending: the business profile, the display name and
// the two-step PIN, with the registration attempts they may spend (docs/meta.md §4.5-4.7).
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';

/** Meta's limits on the business profile, checked here before Meta is called. */
export const PROFILE_LIMITS = {
  about: 139,
  address: 256,
  description: 512,
  email: 128,
  websites: 2,
  website: 256,
  /** 5 MB. */
  photoBytes: 5_242_880,
} as const;

export const PROFILE_PHOTO_TYPES = ['image/jpeg', 'image/png'] as const;
export type ProfilePhotoType = (typeof PROFILE_PHOTO_TYPES)[number];

/** The industry shown on the profile: Meta's codes (its `vertical`), with our words for them. */
export const BUSINESS_CATEGORIES = [
  { value: 'UNDEFINED', label: 'Not set' },
  { value: 'OTHER', label: 'Other' },
  { value: 'AUTO', label: 'Automotive' },
  { value: 'BEAUTY', label: 'Beauty, spa and salon' },
  { value: 'APPAREL', label: 'Clothing and apparel' },
  { value: 'EDU', label: 'Education' },
  { value: 'ENTERTAIN', label: 'Entertainment' },
  { value: 'EVENT_PLAN', label: 'Event planning and service' },
  { value: 'FINANCE', label: 'Finance and banking' },
  { value: 'GROCERY', label: 'Food and grocery' },
  { value: 'GOVT', label: 'Public service' },
  { value: 'HOTEL', label: 'Hotel and lodging' },
  { value: 'HEALTH', label: 'Medical and health' },
  { value: 'NONPROFIT', label: 'Non-profit' },
  { value: 'PROF_SERVICES', label: 'Professional services' },
  { value: 'RETAIL', label: 'Shopping and retail' },
  { value: 'TRAVEL', label: 'Travel and transportation' },
  { value: 'RESTAURANT', label: 'Restaurant' },
  { value: 'ALCOHOL', label: 'Alcoholic beverages' },
  { value: 'ONLINE_GAMBLING', label: 'Online gambling and gaming' },
  { value: 'PHYSICAL_GAMBLING', label: 'Non-online gambling and gaming' },
  { value: 'OTC_DRUGS', label: 'Over-the-counter drugs' },
] as const;
export type BusinessCategory = (typeof BUSINESS_CATEGORIES)[number]['value'];
const CATEGORY_VALUES = BUSINESS_CATEGORIES.map((c) => c.value);

/** Meta's display-name rules as we apply and explain them. */
export const DISPLAY_NAME_RULES = {
  minLength: 3,
  maxLength: 512,
  /** Changes Meta accepts per number in a rolling window. */
  changesPerWindow: 10,
  windowDays: 30,
  /** After an approval the number must register again within this many days, or the change lapses. */
  reregisterWithinDays: 14,
} as const;

/** Meta's register/deregister limit per number (error 133016 when exceeded, then blocked 72 h). */
export const REGISTRATION_LIMIT = { attempts: 10, windowHours: 72 } as const;

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** `PUT /api/phone-numbers/:id/profile`: the fields to change; an absent field stays as it is. */
export class UpdateBusinessProfileRequest {
  @IsOptional()
  @Transform(trimmed)
  @IsString({ message: 'about must be text' })
  @MinLength(1, { message: 'about cannot be empty: WhatsApp shows it under the name; leave it out to keep the current text' })
  @MaxLength(PROFILE_LIMITS.about, { message: `about can be at most ${PROFILE_LIMITS.about} characters` })
  about?: string;

  @IsOptional()
  @Transform(trimmed)
  @IsString({ message: 'address must be text' })
  @MaxLength(PROFILE_LIMITS.address, { message: `address can be at most ${PROFILE_LIMITS.address} characters` })
  address?: string;

  @IsOptional()
  @Transform(trimmed)
  @IsString({ message: 'description must be text' })
  @MaxLength(PROFILE_LIMITS.description, { message: `description can be at most ${PROFILE_LIMITS.description} characters` })
  description?: string;

  @IsOptional()
  @Transform(trimmed)
  @ValidateIf((_, value) => value !== '')
  @IsEmail({}, { message: 'email must be a valid email address (or empty to remove it)' })
  @MaxLength(PROFILE_LIMITS.email, { message: `email can be at most ${PROFILE_LIMITS.email} characters` })
  email?: string;

  @IsOptional()
  @IsArray({ message: 'websites must be a list of web addresses' })
  @ArrayMaxSize(PROFILE_LIMITS.websites, { message: `WhatsApp shows at most ${PROFILE_LIMITS.websites} websites` })
  @IsString({ each: true, message: 'each website must be text' })
  @MaxLength(PROFILE_LIMITS.website, { each: true, message: `each website can be at most ${PROFILE_LIMITS.website} characters` })
  @Matches(/^https?:\/\/[^\s/$.?#][^\s]*$/i, { each: true, message: 'each website must be a full address starting with http:// or https://' })
  websites?: string[];

  @IsOptional()
  @IsIn(CATEGORY_VALUES, { message: `category must be one of Meta's categories: ${CATEGORY_VALUES.join(', ')}` })
  vertical?: BusinessCategory;
}

/** `POST /api/phone-numbers/:id/display-name`. */
export class RequestDisplayNameRequest {
  @Transform(trimmed)
  @IsString({ message: 'name must be text' })
  @MinLength(DISPLAY_NAME_RULES.minLength, { message: `the display name needs at least ${DISPLAY_NAME_RULES.minLength} characters` })
  @MaxLength(DISPLAY_NAME_RULES.maxLength, { message: `the display name can be at most ${DISPLAY_NAME_RULES.maxLength} characters` })
  name!: string;
}

/** `POST /api/phone-numbers/:id/pin`: owners only, with their password again. */
export class ChangePinRequest {
  @IsString()
  @Matches(/^\d{6}$/, { message: 'the new PIN must be exactly 6 digits' })
  pin!: string;

  @IsString()
  @MinLength(1, { message: 'enter your password to change the PIN' })
  @MaxLength(200)
  password!: string;
}

export interface BusinessProfileView {
  phoneNumberId: string;
  about: string | null;
  address: string | null;
  description: string | null;
  email: string | null;
  websites: string[];
  vertical: string;
  verticalLabel: string;
  /** Where WhatsApp serves the current photo; null when none is set. */
  photoUrl: string | null;
}

/** One display-name change we asked Meta for, and what became of it. */
export type DisplayNameRequestStatus = 'in_review' | 'approved' | 'applied' | 'rejected' | 'deferred' | 'expired';

export interface DisplayNameRequestView {
  id: string;
  requestedName: string;
  previousName: string | null;
  status: DisplayNameRequestStatus;
  /** The status in words, with what to do next. */
  statusWords: string;
  /** Meta's reason code when rejected, and our words for it. */
  rejectionReason: string | null;
  rejectionWords: string | null;
  requestedAt: string;
  decidedAt: string | null;
  appliedAt: string | null;
}

/** Our count of the register/deregister attempts of one number in Meta's 72-hour window. */
export interface RegistrationBudgetView {
  limit: number;
  windowHours: number;
  /** Attempts WABA Connect made; Meta also counts any made elsewhere, which we cannot see. */
  usedByUs: number;
  remaining: number;
  /** Meta refused with 133016: no attempt before this time. */
  blockedUntil: string | null;
  /** When the oldest counted attempt leaves the window. */
  nextFreedAt: string | null;
  words: string;
}

export interface DisplayNameView {
  phoneNumberId: string;
  currentName: string | null;
  /** Meta's `name_status` of the current name, in words. */
  nameStatusWords: string;
  latest: DisplayNameRequestView | null;
  history: DisplayNameRequestView[];
  requestsInWindow: number;
  canRequest: boolean;
  /** Why not, when `canRequest` is false. */
  blockedReason: string | null;
  /** Meta's rules, in words. */
  rules: string[];
  /** An approved name needs the number registered again (with the stored PIN). */
  reregister: { needed: boolean; pinStored: boolean; deadline: string | null; budget: RegistrationBudgetView };
}

export interface NumberSettingsView {
  phoneNumberId: string;
  displayPhone: string;
  profile: BusinessProfileView;
  displayName: DisplayNameView;
  pin: { storedByUs: boolean; changedAt: string | null };
  budget: RegistrationBudgetView;
  limits: typeof PROFILE_LIMITS;
  categories: ReadonlyArray<{ value: string; label: string }>;
}

export interface PinChangedView {
  phoneNumberId: string;
  changedAt: string;
}
