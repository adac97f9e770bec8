import { Injectable } from '@nestjs/common';
import { BUSINESS_CATEGORIES, PROFILE_LIMITS, PROFILE_PHOTO_TYPES, type BusinessProfileView, type ProfilePhotoType, type UpdateBusinessProfileRequest } from '@waba/contracts';
import { MetaGraphClient, type WhatsAppBusinessProfile, type WhatsAppBusinessProfileUpdate } from '@waba/meta-graph';
import { AuditService } from '../audit/audit.service';
import type { TenantContext } from '../common/auth/auth.decorators';
import { Clock } from '../common/clock/clock';
import { InvalidRequestError } from '../common/errors/domain-errors';
import { CredentialsService } from '../credentials/credentials.service';
import type { PhoneNumberRecord } from '../phone-numbers/phone-numbers.service';
import { EventsService } from '../webhooks/events.service';
import { settingsRefusal } from './meta-refusals';
import { settingsEvent } from './settings-events';

const FIELD_WORDS: Record<keyof WhatsAppBusinessProfileUpdate, string> = {
  about: 'about',
  address: 'address',
  description: 'description',
  email: 'email',
  websites: 'websites',
  vertical: 'category',
  profile_picture_handle: 'photo',
};

/** The number's WhatsApp business profile: read from Meta, edited within Meta's limits, photo by upload. */
@Injectable()
export class BusinessProfileService {
  constructor(
    private readonly graph: MetaGraphClient,
    private readonly credentials: CredentialsService,
    private readonly audit: AuditService,
    private readonly events: EventsService,
    private readonly clock: Clock,
  ) {}

  async view(number: PhoneNumberRecord): Promise<BusinessProfileView> {
    const token = await this.tokenOf(number);
    let profile: WhatsAppBusinessProfile | undefined;
    try {
      profile = (await this.graph.getBusinessProfile(token, number.phoneNumberId)).data[0];
    } catch (error) {
      throw settingsRefusal("read the number's business profile", error);
    }
    return toProfileView(number.phoneNumberId, profile);
  }

  /** Only the fields sent go to Meta; the request was checked against Meta's limits already (the DTO). */
  async update(tenant: TenantContext, number: PhoneNumberRecord, request: UpdateBusinessProfileRequest): Promise<BusinessProfileView> {
    const update: WhatsAppBusinessProfileUpdate = {};
    for (const field of ['about', 'address', 'description', 'email', 'websites', 'vertical'] as const) {
      if (request[field] !== undefined) Object.assign(update, { [field]: request[field] });
    }
    if (Object.keys(update).length === 0) throw new InvalidRequestError('Nothing to change: send at least one of about, address, description, email, websites or vertical.');
    await this.send(tenant, number, update, 'update the business profile');
    return this.view(number);
  }

  /** Meta's Resumable Upload API: a session for the file, the bytes, then the handle set on the profile. */
  async uploadPhoto(tenant: TenantContext, number: PhoneNumberRecord, bytes: Buffer, contentType: string | undefined): Promise<BusinessProfileView> {
    const type = checkPhoto(bytes, contentType);
    const token = await this.tokenOf(number);
    let handle: string;
    try {
      const session = await this.graph.startUpload(token, { name: `profile-${number.phoneNumberId}.${type === 'image/png' ? 'png' : 'jpg'}`, length: bytes.length, type });
      handle = (await this.graph.uploadFile(token, session.id, bytes, 0)).h;
    } catch (error) {
      throw settingsRefusal('upload the photo to Meta', error);
    }
    await this.send(tenant, number, { profile_picture_handle: handle }, 'set the profile photo');
    return this.view(number);
  }

  private async send(tenant: TenantContext, number: PhoneNumberRecord, update: WhatsAppBusinessProfileUpdate, action: string): Promise<void> {
    const token = await this.tokenOf(number);
    try {
      await this.graph.updateBusinessProfile(token, number.phoneNumberId, update);
    } catch (error) {
      throw settingsRefusal(action, error);
    }
    const fields = (Object.keys(update) as (keyof WhatsAppBusinessProfileUpdate)[]).map((f) => FIELD_WORDS[f]).join(', ');
    const at = this.clock.now();
    await this.audit.record(tenant, 'phone_number.profile_updated', `Number ${number.displayPhone}`, `Changed: ${fields}`);
    await this.events.record([settingsEvent(number, at, `${number.displayPhone}: business profile updated`, `Changed: ${fields}`)]);
  }

  private tokenOf(number: PhoneNumberRecord): Promise<string> {
    return this.credentials.tokenOf(String(number.accountId), String(number.connectionId));
  }
}

export function toProfileView(phoneNumberId: string, profile: WhatsAppBusinessProfile | undefined): BusinessProfileView {
  const vertical = profile?.vertical ?? 'UNDEFINED';
  return {
    phoneNumberId,
    about: profile?.about ?? null,
    address: profile?.address ?? null,
    description: profile?.description ?? null,
    email: profile?.email ?? null,
    websites: profile?.websites ?? [],
    vertical,
    verticalLabel: BUSINESS_CATEGORIES.find((c) => c.value === vertical)?.label ?? vertical,
    photoUrl: profile?.profile_picture_url ?? null,
  };
}

/** JPEG or PNG by its first bytes, whatever the file claims; at most 5 MB. */
export function checkPhoto(bytes: Buffer, contentType: string | undefined): ProfilePhotoType {
  if (!bytes.length) throw new InvalidRequestError('Send the photo as the request body (a JPEG or PNG image).');
  if (bytes.length > PROFILE_LIMITS.photoBytes) throw new InvalidRequestError(`The photo is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; Meta takes at most 5 MB.`);
  const png = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const actual: ProfilePhotoType | null = png ? 'image/png' : jpeg ? 'image/jpeg' : null;
  if (!actual || (contentType && (PROFILE_PHOTO_TYPES as readonly string[]).includes(contentType) && contentType !== actual)) {
    throw new InvalidRequestError('The profile photo must be a JPEG or PNG image; this file is not one.');
  }
  return actual;
}
