// Meta's business profile of a phone number, the Resumable Upload API that carries its photo, and
// the display-name change fields (docs/meta.md §4.5-4.7). Wire names as Meta spells them.

/** `vertical`: the industry Meta shows on the profile; Meta refuses any other value (code 100). */
export const BUSINESS_VERTICALS = [
  'UNDEFINED',
  'OTHER',
  'AUTO',
  'BEAUTY',
  'APPAREL',
  'EDU',
  'ENTERTAIN',
  'EVENT_PLAN',
  'FINANCE',
  'GROCERY',
  'GOVT',
  'HOTEL',
  'HEALTH',
  'NONPROFIT',
  'PROF_SERVICES',
  'RETAIL',
  'TRAVEL',
  'RESTAURANT',
  'ALCOHOL',
  'ONLINE_GAMBLING',
  'PHYSICAL_GAMBLING',
  'OTC_DRUGS',
] as const;
export type BusinessVertical = (typeof BUSINESS_VERTICALS)[number];

/** Meta's limits on the profile fields (characters; `websites` is a count, each URL at most 256). */
export const BUSINESS_PROFILE_LIMITS = {
  about: 139,
  address: 256,
  description: 512,
  email: 128,
  websites: 2,
  website: 256,
} as const;

/** Profile photo files Meta takes through the upload (JPEG or PNG, at most 5 MB). */
export const PROFILE_PHOTO_TYPES = ['image/jpeg', 'image/png'] as const;
export type ProfilePhotoType = (typeof PROFILE_PHOTO_TYPES)[number];
export const PROFILE_PHOTO_MAX_BYTES = 5 * 1024 * 1024;

/** `GET /{phone}/whatsapp_business_profile` answers `{ data: [profile] }`. */
export interface WhatsAppBusinessProfile {
  messaging_product: 'whatsapp';
  about?: string;
  address?: string;
  description?: string;
  email?: string;
  websites?: string[];
  vertical?: BusinessVertical;
  profile_picture_url?: string;
}

/** `POST /{phone}/whatsapp_business_profile`: only the fields to change, plus `messaging_product`. */
export interface WhatsAppBusinessProfileUpdate {
  about?: string;
  address?: string;
  description?: string;
  email?: string;
  websites?: string[];
  vertical?: BusinessVertical;
  /** The `h` handle the Resumable Upload API returned. */
  profile_picture_handle?: string;
}

export const BUSINESS_PROFILE_FIELDS = ['about', 'address', 'description', 'email', 'profile_picture_url', 'websites', 'vertical'] as const;

/** `POST /{app-id}/uploads` answers the session id, `upload:<id>`. */
export interface UploadSession {
  id: string;
}

/** `GET /upload:<id>`: how many bytes arrived, so an interrupted upload resumes from there. */
export interface UploadSessionProgress {
  id: string;
  file_offset: number;
}

/** `POST /upload:<id>` with the bytes answers the file handle. */
export interface UploadedFileHandle {
  h: string;
}

/** The display-name change fields of a phone number node. */
export interface DisplayNameChangeFields {
  new_display_name?: string;
  new_name_status?: string;
}
